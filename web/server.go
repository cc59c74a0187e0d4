// Package web serves the staff UI: a server-rendered site in Simplified
// Chinese (English available) where monitoring staff review, triage and
// follow issues, manage the targets and users, see scans, scheduled jobs
// and digests, and export lists. Every page is behind a login; everything
// it needs (templates, CSS, JS) is embedded, nothing is loaded from the
// Internet. Crawled text is hostile input and is only ever rendered by
// html/template.
//
// One file per page; routes are stdlib ServeMux patterns in routes below,
// so any page's code is found from its URL.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// Runner starts scans on demand and reports the ones running. The command
// line implements it over the same code the nightly job uses.
type Runner interface {
	// ScanNow starts a scan of the named target in the background; an
	// error when it cannot (unknown target), a *store.ScanningError when
	// another scan holds the target.
	ScanNow(target string) error
	Running() []Running
}

// Running is a scan in progress.
type Running struct {
	Target               string
	Started              time.Time
	Pages, Queued, Links int
}

// DigestBuilder renders a week's digests for preview, sending nothing.
type DigestBuilder interface {
	Digests(ctx context.Context, week reports.Week) ([]reports.Digest, reports.Summary, error)
}

// Register reads the account register and puts an account typed in the
// form in its stored form; the patrol implements it.
type Register interface {
	// ReadRegister reads a register file (.xlsx or .csv, by its name) into
	// the targets to save; bad rows are listed by row number. err is a file
	// that could not be read at all: one with a TooLarge() bool method
	// reporting true was past the reading bounds.
	ReadRegister(name string, data []byte) (ts []store.Target, bad []error, err error)
	// AccountTarget normalises an account's addresses and derives its own.
	AccountTarget(t store.Target) store.Target
}

// Allower adds a term to the operator's allowlist (rules_dir/allow.tsv), on
// one page when url is not "".
type Allower interface {
	Allow(term, url string) error
}

// Options configure the UI.
type Options struct {
	Store    *store.Store
	Location *time.Location   // the office's time zone (required)
	Now      func() time.Time // default time.Now
	Runner   Runner           // nil: no "scan now", no live progress
	Digests  DigestBuilder    // nil: no digest preview
	Allow    Allower          // nil: no "always ignore this term"
	Register Register         // nil: no register import, accounts kept as typed
	// Assessment are the scorecard's rules and the notice's lines
	// (reports.DefaultScoreRules and no lines when zero).
	Assessment Assessment
	// DigestLinkBase is the staff UI's full address the digests' links
	// start with; "" when the configuration gives none, and the digests are
	// not sent (their links would not open from a mail client).
	DigestLinkBase string
	// Settings are the effective configuration for the settings page
	// (secrets left out), read from SettingsFile.
	Settings     []Setting
	SettingsFile string
	// DeadlineDays are the working days an assigned issue gets when staff
	// give no deadline, by severity ("high", "medium", "low"); missing or
	// 0: no default.
	DeadlineDays map[string]int
	BcryptCost   int  // default 12
	Secure       bool // the UI is served over HTTPS: cookies get the Secure flag
	Logger       *slog.Logger
}

// Server is the staff UI.
type Server struct {
	opts    Options
	st      *store.Store
	loc     *time.Location
	now     func() time.Time
	log     *slog.Logger
	tmpl    *engine
	limiter *limiter
	// dummyHash is a hash at the users' cost, compared against when a
	// sign-in names no user.
	dummyHash func() []byte
	// The dashboard's trend of closed weeks, computed once a week.
	trendMu   sync.Mutex
	trendWeek string
	trendPast map[string][]int // by tenant ("" for all), for trendWeek
}

// New parses every template (a broken one fails here, not on a live
// request) and returns the UI.
func New(o Options) (*Server, error) {
	if o.Store == nil {
		return nil, errors.New("web: no store")
	}
	if o.Location == nil {
		return nil, errors.New("web: no time zone (Options.Location): the office's dates would be the server's")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.BcryptCost == 0 {
		o.BcryptCost = 12
	}
	if o.Assessment.Score.Site == nil {
		o.Assessment.Score = reports.DefaultScoreRules()
	}
	e, err := newEngine(o.Location)
	if err != nil {
		return nil, err
	}
	return &Server{opts: o, st: o.Store, loc: o.Location, now: o.Now, log: o.Logger, tmpl: e,
		limiter: newLimiter(5, 15*time.Minute), dummyHash: sync.OnceValue(func() []byte {
			h, _ := bcrypt.GenerateFromPassword([]byte("xunjian: no such user"), o.BcryptCost)
			return h
		})}, nil
}

// Handler is the UI with its protections: panics recovered, security
// headers on every response, cross-origin state changes refused.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"))
		http.Error(w, "403 跨站请求已拒绝 (cross-origin request refused)", http.StatusForbidden)
	}))
	return s.recoverer(securityHeaders(cop.Handler(mux)))
}

// Who may use a route.
const (
	everyone  = iota // every signed-in user, owner accounts included (their own issues only)
	staffOnly        // monitoring staff and administrators
	adminOnly        // administrators
	// wholeStaff: staff who see every target (no tenant): the pages that
	// sum up every district — assessment, figures, digests.
	wholeStaff
)

// route is one page or action behind the login.
type route struct {
	pattern string
	access  int
	h       handler
}

// protected are every route behind the login, with who may use it: one
// table, which the tests walk to prove none answers without a session.
func (s *Server) protected() []route {
	return []route{
		{"GET /{$}", everyone, s.dashboard},
		{"GET /issues", everyone, s.issueList},
		{"GET /issues/export.csv", everyone, s.issueExportCSV},
		{"GET /issues/export.xlsx", everyone, s.issueExportXLSX},
		{"POST /issues/bulk", staffOnly, s.issueBulk},
		{"GET /issues/{id}", everyone, s.issueDetail},
		// Every signed-in user reaches the issue verbs: issueVerb keeps an
		// owner account to fixing and commenting on its own issues (another
		// unit's issue is "not found", as its page is).
		{"POST /issues/{id}/confirm", everyone, s.issueVerb("confirm", staffVerb, s.confirmIssue)},
		{"POST /issues/{id}/fix", everyone, s.issueVerb("fix", ownerVerb, s.fixIssue)},
		{"POST /issues/{id}/reopen", everyone, s.issueVerb("reopen", staffVerb, s.reopenIssue)},
		{"POST /issues/{id}/ignore", everyone, s.issueVerb("ignore", staffVerb, s.ignoreIssue)},
		{"POST /issues/{id}/assign", everyone, s.issueVerb("assign", staffVerb, s.assignIssue)},
		{"POST /issues/{id}/comment", everyone, s.issueVerb("comment", ownerVerb, s.commentIssue)},

		{"GET /targets", staffOnly, s.targetList},
		{"POST /targets", adminOnly, s.targetAdd},
		{"POST /targets/import", adminOnly, s.targetImport},
		{"GET /targets/{id}/edit", adminOnly, s.targetEdit},
		{"POST /targets/{id}", adminOnly, s.targetSave},
		{"POST /targets/{id}/enable", adminOnly, s.targetEnable},
		{"POST /targets/{id}/disable", adminOnly, s.targetDisable},
		{"POST /targets/{id}/scan", staffOnly, s.targetScan},

		{"GET /scans", staffOnly, s.scanList},
		{"GET /assessment", wholeStaff, s.assessment},
		{"GET /assessment/notice.docx", wholeStaff, s.notice("docx")},
		{"GET /assessment/notice.xlsx", wholeStaff, s.notice("xlsx")},
		{"GET /assessment/ranking.xlsx", wholeStaff, s.rankingExport},
		{"GET /assessment/targets/{id}", wholeStaff, s.scoreHistory},
		{"GET /stats", wholeStaff, s.stats},
		{"GET /stats/export.xlsx", wholeStaff, s.statsExport},
		{"GET /digests", wholeStaff, s.digestList},
		{"GET /digests/preview", wholeStaff, s.digestPreview},

		{"GET /settings", adminOnly, s.settings},
		{"GET /users", adminOnly, s.userList},
		{"POST /users", adminOnly, s.userAdd},
		{"POST /users/{id}/{action}", adminOnly, s.userAction},
		{"GET /password", everyone, s.passwordForm},
		{"POST /password", everyone, s.passwordChange},
	}
}

func (s *Server) routes(mux *http.ServeMux) {
	// Public: the assets, signing in and out, the language.
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)
	mux.HandleFunc("POST /lang", s.setLang)
	for _, r := range s.protected() {
		switch r.access {
		case adminOnly:
			mux.HandleFunc(r.pattern, s.admin(r.h))
		case staffOnly:
			mux.HandleFunc(r.pattern, s.staff(r.h))
		case wholeStaff:
			mux.HandleFunc(r.pattern, s.staff(s.whole(r.h)))
		default:
			mux.HandleFunc(r.pattern, s.signedIn(r.h))
		}
	}
}

// csp allows nothing but this server's own scripts, styles and images: an
// injected <script> or inline handler does not run even if escaping failed.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic serving a page", "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, "500 内部错误 (internal error)", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Listening is the UI served on an address.
type Listening struct {
	URL  string // http://host:port/
	srv  *http.Server
	done chan struct{}
}

// Listen serves the UI on addr (host:port; port 0 takes a free one) with
// timeouts that keep slow or idle clients from holding the server, until
// Stop.
func (s *Server) Listen(addr string) (*Listening, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("web: cannot serve the UI on %s (listen in the configuration): %w", addr, err)
	}
	l := &Listening{URL: "http://" + ln.Addr().String() + "/", done: make(chan struct{}),
		srv: &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
			WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}}
	go func() {
		defer close(l.done)
		if err := l.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("the UI stopped", "err", err)
		}
	}()
	return l, nil
}

// Stop shuts the UI down, letting requests in flight finish (10 s at most).
func (l *Listening) Stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l.srv.Shutdown(ctx)
	<-l.done
}
