/* Hanweb jpage (stand-in): reads the <datastore> of the element, shows perPage records a page,
   and asks proxyUrl for the next group with startrecord/endrecord/perpage and ajaxParam (POST). */
var dataStore = null;
