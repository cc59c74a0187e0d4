/*! jQuery v1.12.4 (stand-in for the fixture) */
window.jQuery=window.$=function(){return {ready:function(f){},jpage:function(o){}};};
