// Package crawltest serves fixture websites for crawler tests, the way
// net/http/httptest serves a handler: realistic small sites modelled on the
// content management systems Chinese district governments publish with
// (TRS WCM, Hanweb JCMS and others), each with planted defects and traps.
//
// A world is a directory sites/<world>/ holding one folder per host: www
// (the district's site, the crawl's start) and ext (an "external" host: other
// government sites the district links to). Serve starts one loopback
// httptest.Server per host:
//
//	w := crawltest.Serve(t, "trs")
//	res := crawl(w.WWW + "/")
//	if w.Hits("/zwgk/tzgg/index_4.shtml") == 0 { t.Error("pagination not followed") }
//
// # How a request is answered
//
//  1. A route of the host's _routes.tsv, matched by path and query (below).
//  2. Else the file at the URL path: /a/b.shtml → sites/<world>/<host>/a/b.shtml;
//     a path ending in / serves the folder's index.shtml, index.html or
//     index.htm (first found); a folder named without its / answers 301 to
//     the path with /. The query is ignored, as a static web server does.
//     Files and folders whose name starts with _ are never served by path:
//     they are reachable through routes only.
//  3. Else 404 with a small HTML body.
//
// GET and HEAD are answered (HEAD without a body); a static file answers 405
// to other methods, a route answers every method.
//
// Content-Type comes from the file's extension and never names a charset
// (.html .htm .shtml .jsp → text/html), so a crawler must find the charset
// itself; a route can set any header, e.g. "Content-Type: text/html; charset=gbk".
//
// In every text response (text/*, JavaScript, XML, JSON) and in route header
// values, {{WWW}} and {{EXT}} are replaced by the two origins
// (http://127.0.0.1:PORT). The replacement works on bytes, so it works in
// GBK and GB2312 files too.
//
// # _routes.tsv
//
// One route a line, tab-separated; # starts a comment line:
//
//	PATH[?QUERY]	STATUS	FILE or -	[HEADERS]
//
// FILE is relative to the host folder (- for no body: a 3xx has none, a 4xx
// or 5xx gets a small default page). HEADERS are "Name: value" pairs
// separated by " | ". A route with a query matches a request whose
// parameters are the same set of name=value pairs, in any order and however
// percent-encoded (both sides are parsed and compared sorted by name;
// repeated names keep their order). For a POST of an
// application/x-www-form-urlencoded form the body's parameters count too, so
// one route answers Hanweb's dataproxy.jsp whether its parameters come in
// the query or, as jpage.js sends them, in the form. A route without a
// query matches the path with any query that no route with a query
// matches. A bad line or a FILE that does not exist panics at Start with
// file:line: the fixtures are ours.
//
// Each world also holds EXPECT.tsv (what a correct monitor must report) and
// TRAPS.tsv (correct things that must draw nothing); see Expect and Traps.
package crawltest

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

//go:embed all:sites
var sites embed.FS

// Host names: the folders of a world.
const (
	HostWWW = "www"
	HostExt = "ext"
)

// ErrUnknownWorld is returned by Start for a world that has no folder.
var ErrUnknownWorld = errors.New("crawltest: unknown world")

// World is one fixture world being served: a district site (WWW) and an
// external host (Ext), both on loopback.
type World struct {
	Name string
	WWW  string // origin of the district site, e.g. http://127.0.0.1:41234
	Ext  string // origin of the external host

	servers []*httptest.Server
	mu      sync.Mutex
	log     []Request
}

// Request is one request a world answered.
type Request struct {
	Host   string // HostWWW or HostExt
	Method string
	Path   string // URL path, decoded
	Query  string // raw query, as sent
	Status int
}

// Worlds lists the fixture worlds, sorted.
func Worlds() []string {
	entries, err := sites.ReadDir("sites")
	if err != nil {
		panic(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// FS is the world's folder (its hosts, EXPECT.tsv and TRAPS.tsv), for tests
// that read a fixture's bytes directly.
func FS(world string) (fs.FS, error) {
	if !slices.Contains(Worlds(), world) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownWorld, world)
	}
	return fs.Sub(sites, "sites/"+world)
}

// Serve starts the world for a test and closes it when the test ends.
func Serve(t testing.TB, world string) *World {
	t.Helper()
	w, err := Start(world)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	return w
}

// Start serves the world until Close: for a command-line runner or a demo.
// It panics on a bad _routes.tsv line (a bug in the fixtures).
func Start(world string) (*World, error) {
	root, err := FS(world)
	if err != nil {
		return nil, err
	}
	w := &World{Name: world}
	var handlers []*host
	for _, name := range []string{HostWWW, HostExt} {
		sub, err := fs.Sub(root, name)
		if err != nil {
			return nil, fmt.Errorf("crawltest: %s/%s: %w", world, name, err)
		}
		h := &host{world: w, name: name, files: sub}
		h.routes = parseRoutes(sub, "sites/"+world+"/"+name+"/_routes.tsv")
		handlers = append(handlers, h)
	}
	for _, h := range handlers {
		w.servers = append(w.servers, httptest.NewServer(h))
	}
	w.WWW, w.Ext = w.servers[0].URL, w.servers[1].URL
	return w, nil
}

// Close stops both servers.
func (w *World) Close() {
	for _, s := range w.servers {
		s.Close()
	}
}

// Expand replaces {{WWW}} and {{EXT}} in s by the world's origins: for the
// page paths and evidence of Expect and Traps lines.
func (w *World) Expand(s string) string {
	return strings.NewReplacer("{{WWW}}", w.WWW, "{{EXT}}", w.Ext).Replace(s)
}

// URL is the address of a path on the district site.
func (w *World) URL(p string) string { return w.WWW + p }

// Hits counts the requests (any method) for target: a path on the district
// site ("/zwgk/tzgg/index.shtml"), or a full URL on either host (w.Ext+"/x",
// or with a {{WWW}}/{{EXT}} placeholder). Without a query it counts the
// path with any query; with one, only requests with the same parameters
// (in any order).
func (w *World) Hits(target string) int {
	target = w.Expand(target)
	hostName := HostWWW
	switch {
	case strings.HasPrefix(target, w.WWW):
		target = strings.TrimPrefix(target, w.WWW)
	case strings.HasPrefix(target, w.Ext):
		hostName, target = HostExt, strings.TrimPrefix(target, w.Ext)
	}
	p, q, withQuery := strings.Cut(target, "?")
	if up, err := url.PathUnescape(p); err == nil {
		p = up
	}
	want := canonicalQuery(q)
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, r := range w.log {
		if r.Host == hostName && r.Path == p && (!withQuery || canonicalQuery(r.Query) == want) {
			n++
		}
	}
	return n
}

// Requests returns every request answered so far, in order.
func (w *World) Requests() []Request {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.log)
}

// host serves one host folder of a world.
type host struct {
	world  *World
	name   string
	files  fs.FS
	routes []route
}

type route struct {
	path     string
	query    string // canonical; "" for a route without a query
	hasQuery bool
	status   int
	file     string // "" for -
	headers  [][2]string
}

func (h *host) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	status := h.serve(rw, r)
	h.world.mu.Lock()
	h.world.log = append(h.world.log, Request{Host: h.name, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Status: status})
	h.world.mu.Unlock()
}

func (h *host) serve(rw http.ResponseWriter, r *http.Request) int {
	if rt := h.match(r); rt != nil {
		return h.serveRoute(rw, r, rt)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return h.errorPage(rw, r, http.StatusMethodNotAllowed)
	}
	p := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") && p != "/" {
		p += "/"
	}
	if hidden(p) {
		return h.errorPage(rw, r, http.StatusNotFound)
	}
	name := strings.TrimPrefix(p, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		for _, index := range []string{"index.shtml", "index.html", "index.htm"} {
			if fileExists(h.files, name+index) {
				return h.serveFile(rw, r, http.StatusOK, name+index)
			}
		}
		return h.errorPage(rw, r, http.StatusNotFound)
	}
	st, err := fs.Stat(h.files, name)
	switch {
	case err != nil:
		return h.errorPage(rw, r, http.StatusNotFound)
	case st.IsDir():
		loc := p + "/"
		if r.URL.RawQuery != "" {
			loc += "?" + r.URL.RawQuery
		}
		rw.Header().Set("Location", loc)
		return h.errorPage(rw, r, http.StatusMovedPermanently)
	}
	return h.serveFile(rw, r, http.StatusOK, name)
}

// match finds the route for a request: same path and same parameters, else
// same path and a route without a query.
func (h *host) match(r *http.Request) *route {
	var loose *route
	var q string
	queried := false
	for i := range h.routes {
		rt := &h.routes[i]
		if rt.path != r.URL.Path {
			continue
		}
		if !rt.hasQuery {
			if loose == nil {
				loose = rt
			}
			continue
		}
		if !queried {
			q, queried = requestQuery(r), true
		}
		if rt.query == q {
			return rt
		}
	}
	return loose
}

// requestQuery is the request's canonical parameters: the query's, and a
// url-encoded POST form's.
func requestQuery(r *http.Request) string {
	vals, _ := url.ParseQuery(r.URL.RawQuery)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method == http.MethodPost && ct == "application/x-www-form-urlencoded" && r.Body != nil {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		form, _ := url.ParseQuery(string(body))
		for k, vs := range form {
			vals[k] = append(vals[k], vs...)
		}
	}
	return vals.Encode()
}

func canonicalQuery(raw string) string {
	vals, _ := url.ParseQuery(raw)
	return vals.Encode()
}

func (h *host) serveRoute(rw http.ResponseWriter, r *http.Request, rt *route) int {
	for _, kv := range rt.headers {
		rw.Header().Set(kv[0], h.world.Expand(kv[1]))
	}
	if rt.file == "" {
		if rt.status >= 400 {
			return h.errorPage(rw, r, rt.status)
		}
		if rw.Header().Get("Content-Type") == "" && rt.status != http.StatusNoContent && rt.status != http.StatusNotModified {
			rw.Header().Set("Content-Type", "text/html")
		}
		rw.Header().Set("Content-Length", "0")
		rw.WriteHeader(rt.status)
		return rt.status
	}
	return h.serveFile(rw, r, rt.status, rt.file)
}

func (h *host) serveFile(rw http.ResponseWriter, r *http.Request, status int, name string) int {
	body, err := fs.ReadFile(h.files, name)
	if err != nil {
		return h.errorPage(rw, r, http.StatusNotFound)
	}
	ct := rw.Header().Get("Content-Type")
	if ct == "" {
		ct = contentType(name)
		rw.Header().Set("Content-Type", ct)
	}
	if isText(ct) {
		body = h.expand(body)
	}
	return write(rw, r, status, body)
}

func (h *host) expand(b []byte) []byte {
	if !bytes.Contains(b, []byte("{{")) {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("{{WWW}}"), []byte(h.world.WWW))
	return bytes.ReplaceAll(b, []byte("{{EXT}}"), []byte(h.world.Ext))
}

// errorPage answers status with a small HTML page, as a web server does.
func (h *host) errorPage(rw http.ResponseWriter, r *http.Request, status int) int {
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	rw.Header().Set("Content-Type", "text/html")
	body := []byte("<html>\r\n<head><title>" + text + "</title></head>\r\n<body>\r\n<center><h1>" + text +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
	return write(rw, r, status, body)
}

func write(rw http.ResponseWriter, r *http.Request, status int, body []byte) int {
	rw.Header().Set("Content-Length", strconv.Itoa(len(body)))
	rw.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = rw.Write(body)
	}
	return status
}

// hidden reports a path with a segment starting with _ (route-only files).
func hidden(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(seg, "_") {
			return true
		}
	}
	return false
}

func fileExists(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}

// types are the Content-Types by extension: no charset, ever.
var types = map[string]string{
	".html": "text/html", ".htm": "text/html", ".shtml": "text/html", ".jsp": "text/html",
	".css": "text/css", ".js": "application/javascript", ".xml": "text/xml", ".json": "application/json",
	".txt": "text/plain", ".vtt": "text/vtt",
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".ico": "image/x-icon", ".svg": "image/svg+xml",
	".pdf": "application/pdf", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".wps":  "application/vnd.ms-works", ".zip": "application/zip",
	".mp4": "video/mp4", ".mp3": "audio/mpeg", ".swf": "application/x-shockwave-flash",
}

func contentType(name string) string {
	if t, ok := types[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

func isText(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "javascript") ||
		strings.Contains(ct, "xml") || strings.Contains(ct, "json")
}

// parseRoutes reads a host's _routes.tsv (absent: no routes). shown names
// the file in panics.
func parseRoutes(files fs.FS, shown string) []route {
	data, err := fs.ReadFile(files, "_routes.tsv")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		panic(fmt.Sprintf("crawltest: %s: %v", shown, err))
	}
	var out []route
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		rt, err := parseRoute(line, files)
		if err != nil {
			panic(fmt.Sprintf("crawltest: %s:%d: %v", shown, i+1, err))
		}
		out = append(out, rt)
	}
	return out
}

func parseRoute(line string, files fs.FS) (route, error) {
	f := strings.Split(line, "\t")
	if len(f) < 3 || len(f) > 4 {
		return route{}, fmt.Errorf("want PATH, STATUS, FILE and optional HEADERS separated by tabs, got %d fields", len(f))
	}
	var rt route
	target := strings.TrimSpace(f[0])
	if !strings.HasPrefix(target, "/") {
		return rt, fmt.Errorf("path %q does not start with /", target)
	}
	p, q, hasQuery := strings.Cut(target, "?")
	up, err := url.PathUnescape(p)
	if err != nil {
		return rt, fmt.Errorf("path %q: %v", p, err)
	}
	vals, err := url.ParseQuery(q)
	if err != nil {
		return rt, fmt.Errorf("query %q: %v", q, err)
	}
	rt.path, rt.hasQuery, rt.query = up, hasQuery, vals.Encode()
	rt.status, err = strconv.Atoi(strings.TrimSpace(f[1]))
	if err != nil || rt.status < 100 || rt.status > 599 {
		return rt, fmt.Errorf("bad status %q", f[1])
	}
	if file := strings.TrimSpace(f[2]); file != "-" {
		if !fileExists(files, file) {
			return rt, fmt.Errorf("file %q does not exist", file)
		}
		rt.file = file
	}
	if len(f) == 4 && strings.TrimSpace(f[3]) != "" {
		for kv := range strings.SplitSeq(f[3], " | ") {
			name, value, ok := strings.Cut(kv, ":")
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			if !ok || name == "" || strings.ContainsAny(name, " \t") {
				return rt, fmt.Errorf("header %q is not Name: value", kv)
			}
			rt.headers = append(rt.headers, [2]string{http.CanonicalHeaderKey(name), value})
		}
	}
	if rt.status >= 300 && rt.status < 400 && rt.status != http.StatusNotModified &&
		!slices.ContainsFunc(rt.headers, func(kv [2]string) bool { return kv[0] == "Location" }) {
		return rt, fmt.Errorf("redirect %d without a Location header", rt.status)
	}
	return rt, nil
}

// Line is one line of a world's EXPECT.tsv or TRAPS.tsv.
type Line struct {
	Category string // a finding category (DESIGN.md), or a structural trap kind (TRAPS.tsv)
	Page     string // path on the district site where it is seen ("/" is the home page)
	Evidence string // the offending text, or the link target ({{WWW}}/{{EXT}} placeholders)
	Note     string
	Line     int // line number in its file
}

// Expect reads sites/<world>/EXPECT.tsv: one line per thing a correct
// monitor must report in that world.
func Expect(world string) ([]Line, error) { return readLines(world, "EXPECT.tsv") }

// Traps reads sites/<world>/TRAPS.tsv: correct things that must draw no
// finding (or, for structural kinds, must not be mistaken for what they
// look like). The file's header lists the kinds.
func Traps(world string) ([]Line, error) { return readLines(world, "TRAPS.tsv") }

func readLines(world, file string) ([]Line, error) {
	root, err := FS(world)
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(root, file)
	if err != nil {
		return nil, fmt.Errorf("crawltest: %s/%s: %w", world, file, err)
	}
	var out []Line
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("crawltest: sites/%s/%s:%d: want 4 tab-separated fields, got %d", world, file, i+1, len(f))
		}
		out = append(out, Line{Category: f[0], Page: f[1], Evidence: f[2], Note: f[3], Line: i + 1})
	}
	return out, nil
}
