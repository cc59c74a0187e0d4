package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed locale/en.json
var enCatalog []byte

//go:embed static
var staticFiles embed.FS

// Languages: Simplified Chinese is the default and the source text; the
// English catalog maps each Chinese string to its translation.
const (
	langZH = "zh"
	langEN = "en"
)

// engine holds every page's template, parsed at start for each language.
type engine struct {
	pages map[string]map[string]*template.Template // lang → page → template
	en    map[string]string
}

func newEngine(loc *time.Location) (*engine, error) {
	en, err := english()
	if err != nil {
		return nil, fmt.Errorf("web: locale/en.json: %w", err)
	}
	e := &engine{pages: map[string]map[string]*template.Template{}, en: en}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, lang := range []string{langZH, langEN} {
		e.pages[lang] = map[string]*template.Template{}
		for _, n := range names {
			page := strings.TrimSuffix(path.Base(n), ".html")
			if page == "layout" || strings.HasPrefix(page, "_") { // the frame and the partials every page gets
				continue
			}
			t, err := template.New(page).Funcs(e.funcs(lang, loc)).ParseFS(templateFiles, "templates/layout.html", "templates/_*.html", n)
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", n, err)
			}
			e.pages[lang][page] = t
		}
	}
	return e, nil
}

// HasEnglish reports whether the UI can translate a Chinese string (the
// settings' names, which the command line supplies, are checked by its
// tests).
func HasEnglish(zh string) bool {
	en, _ := english()
	return en[zh] != ""
}

// english is the English catalog, read once.
var english = sync.OnceValues(func() (map[string]string, error) {
	var en map[string]string
	err := json.Unmarshal(enCatalog, &en)
	return en, err
})

// text translates a Chinese UI string.
func (e *engine) text(lang, zh string) string {
	if lang == langEN {
		if en, ok := e.en[zh]; ok {
			return en
		}
	}
	return zh
}

// format translates a Chinese format string and fills it in. An English
// translation may give a singular and a plural, "seen by %d scan|seen by %d
// scans": the first integer argument chooses (1 is singular).
func (e *engine) format(lang, zh string, args ...any) string {
	f := e.text(lang, zh)
	if one, many, ok := strings.Cut(f, "|"); ok && lang == langEN {
		f = many
		for _, a := range args {
			if n, isInt := a.(int); isInt {
				if n == 1 {
					f = one
				}
				break
			}
		}
	}
	return fmt.Sprintf(f, args...)
}

// englishPunct is the Chinese punctuation the templates put between
// translated pieces, as English writes it.
var englishPunct = map[string]string{"：": ": ", "；": "; ", "。": ".", "、": ", ", "，": ", ", "（": " (", "）": ")"}

// punct is a piece of Chinese punctuation in the page's language.
func punct(lang, p string) string {
	if en, ok := englishPunct[p]; ok && lang == langEN {
		return en
	}
	return p
}

func (e *engine) funcs(lang string, loc *time.Location) template.FuncMap {
	t := func(zh string) string { return e.text(lang, zh) }
	return template.FuncMap{
		"t":     t,
		"tf":    func(zh string, args ...any) string { return e.format(lang, zh, args...) },
		"punct": func(p string) string { return punct(lang, p) },
		"list":  func(xs ...string) []string { return xs },
		// change says how a unit moved, in the page's language.
		"change": func(u reports.UnitRank) string {
			return u.ChangeIn(func(zh string, args ...any) string { return e.format(lang, zh, args...) }, punct(lang, "，"))
		},
		// period names a period: 2026年第四季度, or 2026-Q4 in English.
		"period": func(p reports.Period) string {
			if lang == langEN {
				return p.Key
			}
			return p.Label
		},
		"percent": func(f float64) float64 { return 100 * f },
		// eventNote is a history entry's note in the page's language: the
		// notes the system writes are translated, people's words are not.
		"eventNote": func(ev store.Event) string { return e.eventNote(lang, ev) },
		"category":  func(c checks.Category) string { return t(c.Label()) },
		"severity":  func(s checks.Severity) string { return t(s.Label()) },
		"status":    func(s store.Status) string { return t(s.Label()) },
		"scanStatus": func(s store.ScanStatus) string {
			return t(s.Label())
		},
		// scanNote is a scan's note, a collapsed scan's reason (stored in
		// Chinese, first) in the page's language.
		"scanNote": func(v any) string {
			var sc store.Scan
			switch v := v.(type) {
			case store.Scan:
				sc = v
			case *store.Scan:
				sc = *v
			}
			reason := sc.CollapseNote()
			if reason == "" {
				return sc.Note
			}
			rest := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(sc.Note, reason), "; "), "；")
			return strings.TrimSuffix(fmt.Sprintf(t(store.CollapseFormat), sc.PagesRead, sc.Baseline)+"; "+rest, "; ")
		},
		"jobName": func(name string) string {
			switch name {
			case "scan":
				return t("夜间巡检")
			case "probe":
				return t("可用性探测")
			case "digest":
				return t("每周周报")
			case "housekeeping":
				return t("数据清理")
			}
			return name
		},
		"digestStatus": func(s string) string {
			switch s {
			case store.DigestSent:
				return t("已发送")
			case store.DigestFailed:
				return t("发送失败，下次重试")
			case store.DigestRejected:
				return t("地址被拒收")
			}
			return s
		},
		"date": func(tm time.Time) string {
			if tm.IsZero() {
				return ""
			}
			return tm.In(loc).Format("2006-01-02")
		},
		"datetime": func(tm time.Time) string {
			if tm.IsZero() {
				return ""
			}
			return tm.In(loc).Format("2006-01-02 15:04")
		},
		"duration": func(d time.Duration) string {
			if d < time.Second { // times are stored to the second
				return "<1s"
			}
			if d < time.Minute {
				return d.Round(time.Second).String()
			}
			return d.Round(time.Minute).String()
		},
		"lang": func() string { return lang },
		"has":  func(list []store.Status, v store.Status) bool { return slices.Contains(list, v) },
		"add":  func(a, b int) int { return a + b },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		// safeURL lets a crawled URL be a link only when it is http(s):
		// html/template already neutralises javascript: in href, this also
		// keeps data:, file: and the like from being offered as a link.
		"httpURL": func(u string) bool {
			p, err := url.Parse(u)
			return err == nil && (p.Scheme == "http" || p.Scheme == "https")
		},
	}
}

// view is what every page's template gets.
type view struct {
	Lang  string
	User  store.User
	Title string
	Path  string // this page's path and query: the language switch returns here
	Flash string
	Nav   string // the menu entry to highlight
	D     any    // the page's own data
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page string, u store.User, title string, d any) {
	lang := langOf(r)
	t := s.tmpl.pages[lang][page]
	if t == nil {
		s.serverError(w, r, fmt.Errorf("web: no template %q", page))
		return
	}
	v := view{Lang: lang, User: u, Title: s.tmpl.text(lang, title), Path: r.URL.RequestURI(), Flash: takeFlash(w, r), Nav: navOf(r.URL.Path), D: d}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", v); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	b.WriteTo(w)
}

func navOf(p string) string {
	for _, n := range []string{"issues", "targets", "scans", "digests", "assessment", "stats", "users", "settings"} {
		if p == "/"+n || strings.HasPrefix(p, "/"+n+"/") {
			return n
		}
	}
	if p == "/" {
		return "dashboard"
	}
	return ""
}

// langOf is the language the user chose (a cookie), Chinese by default.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == langEN {
		return langEN
	}
	return langZH
}

// flash shows a short message (our own text, never crawled text) on the
// next page, after a POST's redirect.
func (s *Server) flash(w http.ResponseWriter, r *http.Request, zh string, args ...any) {
	msg := s.tmpl.format(langOf(r), zh, args...)
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		Secure: s.opts.Secure, SameSite: http.SameSiteLaxMode})
}

func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	msg, _ := url.QueryUnescape(c.Value)
	return msg
}

// message is a message for the user: a Chinese format and its arguments,
// translated where it is shown (engine.messageIn).
type message struct {
	format string
	args   []any
}

func (m message) Error() string { return fmt.Sprintf(m.format, m.args...) }

// msgf is a message for the user as an error.
func msgf(format string, args ...any) error { return message{format, args} }

// messageIn is err for the user in lang: a message translated, any other
// error as it is.
func (e *engine) messageIn(lang string, err error) string {
	var m message
	if errors.As(err, &m) {
		return e.format(lang, m.format, m.args...)
	}
	return err.Error()
}

// fail shows an error page with a message for the user.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, u store.User, code int, zh string, args ...any) {
	msg := s.tmpl.format(langOf(r), zh, args...)
	s.render(w, r, code, "error", u, "出错了", struct {
		Code    int
		Message string
	}{code, msg})
}

// serverError answers a request that failed on our side: 503 with the busy
// page when the database was locked past its busy timeout (another process
// writing), else a bare 500 (the cause is in the log).
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if store.IsBusy(err) {
		s.log.Warn("database busy: request answered 503", "method", r.Method, "path", r.URL.Path, "err", err)
		s.busy(w, r)
		return
	}
	s.log.Error("serving a page failed", "path", r.URL.Path, "err", err)
	http.Error(w, "500 内部错误，详见服务日志 (internal error, see the server log)", http.StatusInternalServerError)
}

// busyPage is the 503 page's data.
type busyPage struct {
	Retry string // this page again (a GET)
	Back  string // the page the form was sent from (a POST)
}

// busy answers 503 系统繁忙: the database is held by another writer (a scan
// saving its results, a backup) for longer than the busy timeout. The
// session stays (its cookie is untouched), and the page offers to load the
// page again or to go back to the form, which the browser still holds.
func (s *Server) busy(w http.ResponseWriter, r *http.Request) {
	var p busyPage
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		p.Retry = localPath(r.URL.RequestURI())
	} else if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		p.Back = localPath(ref.RequestURI())
	}
	w.Header().Set("Retry-After", "10")
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusServiceUnavailable, "busy", userOf(r), "系统繁忙", p)
}

func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
