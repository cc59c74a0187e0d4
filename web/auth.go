package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"

	"github.com/xunjian/xunjian/store"
)

const (
	sessionCookie = "xunjian_session"
	langCookie    = "xunjian_lang"
	flashCookie   = "xunjian_flash"
	sessionLife   = 7 * 24 * time.Hour // signed in for a week at most
	sessionIdle   = 12 * time.Hour     // and signed out after 12 idle hours
)

// HashPassword hashes a password with bcrypt at the given cost (0: 12).
// bcrypt reads at most 72 bytes, so longer passwords are refused rather
// than silently cut.
func HashPassword(password string, cost int) (string, error) {
	if cost == 0 {
		cost = 12
	}
	if len(password) < 8 {
		return "", errors.New("密码至少 8 个字符 (the password needs at least 8 characters)")
	}
	if len(password) > 72 {
		return "", errors.New("密码不能超过 72 字节 (the password must not be longer than 72 bytes)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	return string(h), err
}

// NewPassword returns a random password for a new user or a reset: 16
// characters of crypto/rand.Text (base32: A–Z and 2–7, no 0/1 to mistake
// for O/I), 80 bits.
func NewPassword() string {
	return rand.Text()[:16]
}

// FirstAdmin creates the administrator "admin" with a random password when
// the database has no user yet; password is "" when there were users.
func FirstAdmin(ctx context.Context, st *store.Store, now time.Time) (name, password string, err error) {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	password, err = AddUser(ctx, st, store.User{Name: "admin", Role: store.RoleAdmin}, 0, now)
	if err != nil {
		return "", "", err
	}
	return "admin", password, nil
}

// AddUser creates u with a new random password (hashed at cost; 0: 12) and
// returns the password, to be shown once.
func AddUser(ctx context.Context, st *store.Store, u store.User, cost int, now time.Time) (password string, err error) {
	password = NewPassword()
	if u.PasswordHash, err = HashPassword(password, cost); err != nil {
		return "", err
	}
	if _, err := st.AddUser(ctx, u, now); err != nil {
		return "", err
	}
	return password, nil
}

// ResetPassword gives the user id a new random password (hashed at cost;
// 0: 12) and returns it, to be shown once.
func ResetPassword(ctx context.Context, st *store.Store, id int64, cost int) (string, error) {
	password := NewPassword()
	hash, err := HashPassword(password, cost)
	if err != nil {
		return "", err
	}
	return password, st.SetPassword(ctx, id, hash)
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// currentUser returns the signed-in user of a request; ok is false when
// the request has no live session. err is a database error: the session
// could not be read (the database busy), which is no reason to sign out.
func (s *Server) currentUser(r *http.Request) (u store.User, ok bool, err error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return store.User{}, false, nil
	}
	u, err = s.st.SessionUser(r.Context(), tokenHash(c.Value), s.now(), sessionIdle)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.User{}, false, nil
	case err != nil:
		return store.User{}, false, err
	}
	return u, true, nil
}

type handler func(w http.ResponseWriter, r *http.Request, u store.User)

// userKey keys the signed-in user in a request's context, for the pages
// that answer an error (serverError) without being handed the user.
type userKey struct{}

// userOf is the signed-in user of a request signedIn let through.
func userOf(r *http.Request) store.User {
	u, _ := r.Context().Value(userKey{}).(store.User)
	return u
}

// signedIn wraps a page that every signed-in user may see; anyone else is
// sent to the login page (or refused, for a state change). A session that
// cannot be read because the database is busy is not signed out: the
// request is answered 503 (serverError) and the cookie stays.
func (s *Server) signedIn(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok, err := s.currentUser(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, u))
		if !ok {
			if r.Method != http.MethodGet {
				http.Error(w, "401 请先登录 (sign in first)", http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r, u)
	}
}

// staff wraps a page for the monitoring staff and administrators; an owner
// account (one unit's view of its own issues) is refused.
func (s *Server) staff(h handler) http.HandlerFunc {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request, u store.User) {
		if u.Role == store.RoleOwner {
			s.fail(w, r, u, http.StatusForbidden, "此页面仅限监测人员")
			return
		}
		h(w, r, u)
	})
}

// whole wraps a page that sums up every target for staff who see them
// all: a tenant's staff (one district of a city's database) are refused.
func (s *Server) whole(h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, u store.User) {
		if u.Tenant != "" {
			s.fail(w, r, u, http.StatusForbidden, "此页面汇总全部辖区，仅限不限辖区的监测人员（当前账号限于“%s”）", u.Tenant)
			return
		}
		h(w, r, u)
	}
}

// tenantTargets are the names of the targets a user sees: nil for a user
// without a tenant (every target).
func (s *Server) tenantTargets(ctx context.Context, u store.User) (map[string]bool, error) {
	if u.Tenant == "" {
		return nil, nil
	}
	ts, err := s.st.TenantTargets(ctx, u.Tenant)
	if err != nil {
		return nil, err
	}
	names := make(map[string]bool, len(ts))
	for _, t := range ts {
		names[t.Name] = true
	}
	return names, nil
}

// seen reports whether a target name is among names (nil: every target).
func seen(names map[string]bool, target string) bool { return names == nil || names[target] }

// admin wraps a page for administrators only.
func (s *Server) admin(h handler) http.HandlerFunc {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request, u store.User) {
		if u.Role != store.RoleAdmin {
			s.fail(w, r, u, http.StatusForbidden, "此操作需要管理员权限")
			return
		}
		h(w, r, u)
	})
}

type loginPage struct {
	Next, Name, Error string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if _, ok, _ := s.currentUser(r); ok {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", store.User{}, "登录", loginPage{Next: r.URL.Query().Get("next")})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"))
	page := loginPage{Next: next, Name: name}
	keys := []string{"ip:" + clientIP(r), "user:" + name}
	if wait := s.limiter.blocked(keys, s.now()); wait > 0 {
		page.Error = fmt.Sprintf(s.tmpl.text(langOf(r), "登录失败次数过多，请 %d 分钟后再试"), int(wait.Minutes())+1)
		s.render(w, r, http.StatusTooManyRequests, "login", store.User{}, "登录", page)
		return
	}
	u, err := s.st.UserByName(r.Context(), name)
	hash := []byte(u.PasswordHash)
	if err != nil {
		hash = s.dummyHash() // as slow as a known name: timing does not tell which names exist
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) != nil || err != nil || u.Disabled {
		s.limiter.fail(keys, s.now())
		s.log.Warn("sign-in failed", "user", name, "ip", clientIP(r))
		page.Error = s.tmpl.text(langOf(r), "用户名或密码错误")
		s.render(w, r, http.StatusUnauthorized, "login", store.User{}, "登录", page)
		return
	}
	s.limiter.reset("user:" + name) // the address keeps its count
	raw := make([]byte, 32)
	rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	if err := s.st.AddSession(r.Context(), tokenHash(token), u.ID, now, now.Add(sessionLife)); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.opts.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionLife.Seconds())})
	s.log.Info("signed in", "user", u.Name)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.st.DeleteSession(r.Context(), tokenHash(c.Value)); err != nil {
			s.log.Error("ending a session failed", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.opts.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setLang switches the UI language (a preference cookie; POST, as every
// change is).
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("lang")
	if lang != "en" {
		lang = "zh"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", HttpOnly: true, Secure: s.opts.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

// localPath keeps a redirect on this site: anything but a plain absolute
// path becomes "/". Browsers drop tabs and newlines anywhere in a URL and
// read \ as /, so /%09/evil.example (a tab) and /\evil.example lead off
// the site: any control character, any space and any backslash is refused,
// and what remains must parse as a path with no scheme or host.
func localPath(p string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") {
		return "/"
	}
	if strings.IndexFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' || unicode.IsSpace(r) }) >= 0 {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return p
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limiter counts failed sign-ins per key (the client's address, the name
// tried) and blocks a key after max failures within window.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

func newLimiter(max int, window time.Duration) *limiter {
	return &limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

// blocked returns how long the most blocked key must still wait.
func (l *limiter) blocked(keys []string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		recent := l.recent(k, now)
		if len(recent) >= l.max {
			wait = max(wait, recent[0].Add(l.window).Sub(now))
		}
	}
	return wait
}

func (l *limiter) recent(k string, now time.Time) []time.Time {
	ts := l.fails[k]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, k)
	} else {
		l.fails[k] = ts
	}
	return ts
}

func (l *limiter) fail(keys []string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 10000 { // a flood of names: keep the addresses' counts, not every name's
		for k := range l.fails {
			if strings.HasPrefix(k, "user:") || len(l.recent(k, now)) == 0 {
				delete(l.fails, k)
			}
		}
	}
	for _, k := range keys {
		l.fails[k] = append(l.recent(k, now), now)
	}
}

func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}
