package crawler

import (
	"net/url"
	"path"
	"sort"
	"strings"
)

// sessionParams are query parameters that name a visitor's session, not a
// page; they are dropped so one page is not fetched once per session.
var sessionParams = map[string]bool{
	"jsessionid": true, "phpsessid": true, "sid": true, "sessionid": true, "aspsessionid": true,
	"utm_source": true, "utm_medium": true, "utm_campaign": true, "utm_term": true, "utm_content": true,
}

// indexNames are directory index documents: /news/index.html is /news/.
var indexNames = map[string]bool{
	"index.html": true, "index.htm": true, "index.shtml": true, "index.jsp": true,
	"index.php": true, "default.htm": true, "default.html": true, "default.aspx": true,
}

// dynamicExt are extensions of server scripts: a trailing slash after one
// names the same page.
var dynamicExt = map[string]bool{".jsp": true, ".php": true, ".asp": true, ".aspx": true, ".do": true, ".action": true, ".jspx": true}

// Normalize returns the identity of a URL, so that the same page is fetched
// and reported once: lower-case scheme and host, no default port, no
// fragment, dot segments resolved, no ";jsessionid=" path parameter, a
// directory's index document folded into the directory, session and
// tracking parameters dropped and the rest sorted.
func Normalize(u *url.URL) string {
	n := *u
	n.Scheme = strings.ToLower(n.Scheme)
	n.Host = hostOf(u)
	n.Fragment, n.RawFragment = "", ""
	n.User = nil
	p := n.EscapedPath()
	if i := strings.Index(strings.ToLower(p), ";jsessionid="); i >= 0 {
		p = p[:i]
	}
	if p == "" {
		p = "/"
	}
	trailing := strings.HasSuffix(p, "/")
	p = path.Clean(p)
	// content.jsp/?id=1 is content.jsp?id=1: a script takes no directory.
	if trailing && p != "/" && !dynamicExt[strings.ToLower(path.Ext(p))] {
		p += "/"
	}
	if dir, file := path.Split(p); indexNames[strings.ToLower(file)] {
		p = dir
	}
	if un, err := url.PathUnescape(p); err == nil {
		n.Path, n.RawPath = un, p
	}
	n.RawQuery = normalizeQuery(n.RawQuery)
	n.ForceQuery = false
	return n.String()
}

func normalizeQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		if sessionParams[strings.ToLower(k)] {
			continue
		}
		kept = append(kept, p)
	}
	sort.Strings(kept)
	return strings.Join(kept, "&")
}

// hostOf is a URL's host as Normalize writes it: lower case, no default
// port, no trailing dot.
func hostOf(u *url.URL) string {
	host := strings.ToLower(u.Host)
	scheme := strings.ToLower(u.Scheme)
	if h, p, ok := strings.Cut(host, ":"); ok && ((scheme == "http" && p == "80") || (scheme == "https" && p == "443")) {
		host = h
	}
	return strings.TrimSuffix(host, ".")
}

// pathKey is a URL without its query: the unit the crawler-trap cap counts
// query variants of.
func pathKey(key string) (string, bool) {
	i := strings.IndexByte(key, '?')
	if i < 0 {
		return key, false
	}
	return key[:i], true
}
