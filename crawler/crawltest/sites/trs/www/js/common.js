/* 示例区人民政府门户网站 公共脚本 */
function checkSearch(f){
	if(f.searchword.value.replace(/\s/g,"")==""){alert("请输入检索关键字");return false;}
	return true;
}
function doZoom(size){
	var e = document.getElementById("zoom");
	if(e){ e.style.fontSize = size + "px"; }
}
function SetHome(obj, url){
	try{ obj.style.behavior = "url(#default#homepage)"; obj.setHomePage(url); }catch(e){ alert("请使用浏览器菜单设置首页"); }
}
function AddFavorite(title, url){
	try{ window.external.addFavorite(url, title); }catch(e){ alert("请使用Ctrl+D将本页加入收藏夹"); }
}
/*
 * TRS WCM 列表分页：createPageHTML(总页数, 当前页序号(从0开始), 文件名, 扩展名)
 * 第一页为 index.shtml，其后为 index_1.shtml、index_2.shtml ……
 */
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount <= 1){
		return;
	}
	var nCurrIndex = _nCurrIndex || 0;
	document.write("<span class=\"total\">共" + _nPageCount + "页</span>");
	// 首页、上一页
	if(nCurrIndex == 0){
		document.write("<span>首页</span><span>上一页</span>");
	}else{
		var nPreIndex = nCurrIndex - 1;
		var sPreFileExt = nPreIndex == 0 ? "" : ("_" + nPreIndex);
		document.write("<a href=\"" + _sPageName + "." + _sPageExt + "\">首页</a>");
		document.write("<a href=\"" + _sPageName + sPreFileExt + "." + _sPageExt + "\">上一页</a>");
	}
	// 页码
	for(var i = 0; i < _nPageCount; i++){
		if(nCurrIndex == i){
			document.write("<span class=\"current\">" + (i + 1) + "</span>");
		}else if(i == 0){
			document.write("<a href=\"" + _sPageName + "." + _sPageExt + "\">1</a>");
		}else{
			document.write("<a href=\"" + _sPageName + "_" + i + "." + _sPageExt + "\">" + (i + 1) + "</a>");
		}
	}
	// 下一页、尾页
	if(nCurrIndex == (_nPageCount - 1)){
		document.write("<span>下一页</span><span>尾页</span>");
	}else{
		document.write("<a href=\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\">下一页</a>");
		document.write("<a href=\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\">尾页</a>");
	}
}
