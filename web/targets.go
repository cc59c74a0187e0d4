package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/xunjian/xunjian/store"
)

type targetRow struct {
	store.Target
	Open     int
	LastScan *store.Scan
	Running  *Running
}

type targetListPage struct {
	Sites, Accounts []targetRow
	CanScan         bool
	ImportErrors    []string
	Form            targetForm
	Error           string
}

// targetForm is the add/edit form of a site or account.
type targetForm struct {
	ID                                      int64
	Kind, Name, URL, Owner, Email, Contact  string
	Platform, AccountID, SourceKind, Source string
	Enabled                                 bool
}

// sourceKinds are how an account's posts are read (DOMAIN.md): a feed, a
// list of WeChat article URLs, a Weibo user id, or a page listing posts.
var sourceKinds = []string{"feed", "wechat", "weibo", "html"}

// targetList is 巡检对象: the sites and accounts, their owners, open issues
// and last scan, with add/edit/pause/scan-now and the register import.
func (s *Server) targetList(w http.ResponseWriter, r *http.Request, u store.User) {
	s.showTargets(w, r, u, http.StatusOK, targetListPage{Form: targetForm{Kind: "account", SourceKind: "feed", Enabled: true}})
}

func (s *Server) showTargets(w http.ResponseWriter, r *http.Request, u store.User, code int, p targetListPage) {
	ctx := r.Context()
	targets, err := s.st.TenantTargets(ctx, u.Tenant)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	open, err := s.st.OpenByTarget(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	scans, err := s.st.LatestScans(ctx, store.KindCrawl)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	last := map[string]*store.Scan{}
	for i := range scans {
		last[scans[i].Target] = &scans[i]
	}
	running := map[string]*Running{}
	if s.opts.Runner != nil {
		p.CanScan = true
		for _, run := range s.opts.Runner.Running() {
			running[run.Target] = &run
		}
	}
	for _, t := range targets {
		row := targetRow{Target: t, Open: open[t.Name], LastScan: last[t.Name], Running: running[t.Name]}
		if t.Kind == "account" {
			p.Accounts = append(p.Accounts, row)
		} else {
			p.Sites = append(p.Sites, row)
		}
	}
	s.render(w, r, code, "targets", u, "巡检对象", p)
}

func (s *Server) targetID(w http.ResponseWriter, r *http.Request, u store.User) (store.Target, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		t, err := s.st.TargetByID(r.Context(), id)
		if err == nil && (u.Tenant == "" || t.Tenant == u.Tenant) {
			return t, true
		}
		if err == nil {
			err = store.ErrNotFound // another district's: not told it exists
		}
		if !errors.Is(err, store.ErrNotFound) {
			s.serverError(w, r, err)
			return store.Target{}, false
		}
	}
	s.fail(w, r, u, http.StatusNotFound, "没有这个巡检对象")
	return store.Target{}, false
}

// formTarget reads and checks the add/edit form.
func (s *Server) formTarget(r *http.Request) (targetForm, store.Target, error) {
	f := targetForm{
		Kind: r.PostFormValue("kind"), Name: strings.TrimSpace(r.PostFormValue("name")), URL: strings.TrimSpace(r.PostFormValue("url")),
		Owner: strings.TrimSpace(r.PostFormValue("owner")), Email: strings.TrimSpace(r.PostFormValue("email")),
		Contact: strings.TrimSpace(r.PostFormValue("contact")), Platform: strings.TrimSpace(r.PostFormValue("platform")),
		AccountID: strings.TrimSpace(r.PostFormValue("account_id")), SourceKind: r.PostFormValue("source_kind"),
		Source: strings.TrimSpace(r.PostFormValue("source")), Enabled: r.PostFormValue("enabled") != "",
	}
	if f.Name == "" {
		return f, store.Target{}, msgf("请填写名称")
	}
	if f.Email != "" && !strings.Contains(f.Email, "@") {
		return f, store.Target{}, msgf("邮箱 %q 格式不正确", f.Email)
	}
	switch f.Kind {
	case "site":
		p, err := url.Parse(f.URL)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return f, store.Target{}, msgf("网址 %q 应以 http:// 或 https:// 开头", f.URL)
		}
		return f, store.Target{Name: f.Name, Kind: "site", URL: f.URL, Owner: f.Owner, Email: f.Email, Enabled: f.Enabled}, nil
	case "account":
		valid := false
		for _, k := range sourceKinds {
			valid = valid || k == f.SourceKind
		}
		if !valid || f.Source == "" {
			return f, store.Target{}, msgf("请选择内容来源并填写来源地址（订阅源、文章链接、微博 UID 或主页）")
		}
		if f.SourceKind != "weibo" {
			for _, line := range strings.Fields(f.Source) {
				if p, err := url.Parse(line); err != nil || (p.Scheme != "http" && p.Scheme != "https") {
					return f, store.Target{}, msgf("来源地址 %q 应以 http:// 或 https:// 开头", line)
				}
			}
		}
		t := store.Target{Name: f.Name, Kind: "account", Platform: f.Platform, AccountID: f.AccountID, Owner: f.Owner,
			Contact: f.Contact, Email: f.Email, SourceKind: f.SourceKind, Source: f.Source, Enabled: f.Enabled}
		if s.opts.Register != nil {
			t = s.opts.Register.AccountTarget(t)
		}
		return f, t, nil
	}
	return f, store.Target{}, msgf("请选择类型：网站或政务新媒体账号")
}

func (s *Server) targetAdd(w http.ResponseWriter, r *http.Request, u store.User) {
	f, t, err := s.formTarget(r)
	if err == nil {
		var exists bool
		if exists, err = s.targetExists(r, t.Name); err == nil && exists {
			err = msgf("已有名为“%s”的巡检对象", t.Name)
		}
	}
	if err != nil {
		s.showTargets(w, r, u, http.StatusUnprocessableEntity, targetListPage{Form: f, Error: s.tmpl.messageIn(langOf(r), err)})
		return
	}
	id, err := s.st.SyncTarget(r.Context(), t, s.now())
	if err == nil && !t.Enabled {
		err = s.st.SetTargetEnabled(r.Context(), id, false, s.now())
	}
	if store.IsBusy(err) {
		s.log.Warn("database busy: target not added", "user", u.Name, "target", t.Name, "err", err)
		s.showTargets(w, r, u, http.StatusServiceUnavailable, targetListPage{Form: f, Error: s.tmpl.text(langOf(r), "系统繁忙，请稍后再试")})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("target added", "user", u.Name, "target", t.Name)
	s.flash(w, r, "已添加巡检对象“%s”", t.Name)
	http.Redirect(w, r, "/targets", http.StatusSeeOther)
}

func (s *Server) targetExists(r *http.Request, name string) (bool, error) {
	ts, err := s.st.Targets(r.Context(), "")
	for _, t := range ts {
		if t.Name == name {
			return true, err
		}
	}
	return false, err
}

type targetEditPage struct {
	Form    targetForm
	Managed bool
	Error   string
	Kinds   []string
}

func (s *Server) targetEdit(w http.ResponseWriter, r *http.Request, u store.User) {
	t, ok := s.targetID(w, r, u)
	if !ok {
		return
	}
	f := targetForm{ID: t.ID, Kind: t.Kind, Name: t.Name, URL: t.URL, Owner: t.Owner, Email: t.Email, Contact: t.Contact,
		Platform: t.Platform, AccountID: t.AccountID, SourceKind: t.SourceKind, Source: t.Source, Enabled: t.Enabled}
	s.render(w, r, http.StatusOK, "target_edit", u, "编辑巡检对象", targetEditPage{Form: f, Managed: t.Managed, Kinds: sourceKinds})
}

func (s *Server) targetSave(w http.ResponseWriter, r *http.Request, u store.User) {
	old, ok := s.targetID(w, r, u)
	if !ok {
		return
	}
	if old.Managed {
		s.fail(w, r, u, http.StatusConflict, "“%s”由配置文件管理，请在配置文件中修改；此处只能暂停或恢复巡检", old.Name)
		return
	}
	f, t, err := s.formTarget(r)
	f.ID, f.Kind = old.ID, old.Kind
	if err == nil && t.Kind != old.Kind {
		err = msgf("类型不能修改")
	}
	if err == nil {
		t.ID = old.ID
		err = s.st.UpdateTarget(r.Context(), t, s.now())
		if errors.Is(err, store.ErrExists) {
			err = msgf("已有名为“%s”的巡检对象", t.Name)
		} else if store.IsBusy(err) {
			s.log.Warn("database busy: target not saved", "user", u.Name, "target", t.Name, "err", err)
			s.render(w, r, http.StatusServiceUnavailable, "target_edit", u, "编辑巡检对象",
				targetEditPage{Form: f, Error: s.tmpl.text(langOf(r), "系统繁忙，请稍后再试"), Kinds: sourceKinds})
			return
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if err != nil {
		s.render(w, r, http.StatusUnprocessableEntity, "target_edit", u, "编辑巡检对象", targetEditPage{Form: f, Error: s.tmpl.messageIn(langOf(r), err), Kinds: sourceKinds})
		return
	}
	s.log.Info("target changed", "user", u.Name, "target", t.Name)
	s.flash(w, r, "已保存“%s”", t.Name)
	http.Redirect(w, r, "/targets", http.StatusSeeOther)
}

func (s *Server) targetEnable(w http.ResponseWriter, r *http.Request, u store.User) {
	s.setEnabled(w, r, u, true)
}

func (s *Server) targetDisable(w http.ResponseWriter, r *http.Request, u store.User) {
	s.setEnabled(w, r, u, false)
}

func (s *Server) setEnabled(w http.ResponseWriter, r *http.Request, u store.User, on bool) {
	t, ok := s.targetID(w, r, u)
	if !ok {
		return
	}
	if err := s.st.SetTargetEnabled(r.Context(), t.ID, on, s.now()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("target enabled", "user", u.Name, "target", t.Name, "enabled", on)
	if on {
		s.flash(w, r, "已恢复巡检“%s”", t.Name)
	} else {
		s.flash(w, r, "已暂停巡检“%s”", t.Name)
	}
	http.Redirect(w, r, "/targets", http.StatusSeeOther)
}

func (s *Server) targetScan(w http.ResponseWriter, r *http.Request, u store.User) {
	t, ok := s.targetID(w, r, u)
	if !ok {
		return
	}
	if s.opts.Runner == nil {
		s.fail(w, r, u, http.StatusNotFound, "此服务未启用立即扫描")
		return
	}
	if err := s.opts.Runner.ScanNow(t.Name); err != nil {
		var running *store.ScanningError
		switch {
		case errors.As(err, &running):
			s.fail(w, r, u, http.StatusConflict, store.ScanningFormat, running.Since.In(s.loc).Format("2006-01-02 15:04"))
		case store.IsBusy(err):
			s.serverError(w, r, err)
		default:
			s.fail(w, r, u, http.StatusConflict, "无法开始扫描：%s", err.Error())
		}
		return
	}
	s.log.Info("scan started from the UI", "user", u.Name, "target", t.Name)
	s.flash(w, r, "已开始扫描“%s”，进度见巡检记录", t.Name)
	http.Redirect(w, r, "/scans", http.StatusSeeOther)
}

// maxImport caps an uploaded register (83 accounts fit in a few KB).
const maxImport = 10 << 20

// targetImport reads the account register (.xlsx or .csv, the columns of
// `xunjian accounts export`) and adds or updates every good row; bad rows
// are listed with their row numbers.
func (s *Server) targetImport(w http.ResponseWriter, r *http.Request, u store.User) {
	r.Body = http.MaxBytesReader(w, r.Body, maxImport)
	file, hdr, err := r.FormFile("register")
	if err != nil {
		s.showTargets(w, r, u, http.StatusBadRequest, targetListPage{Error: s.tmpl.text(langOf(r), "请选择台账文件（.xlsx 或 .csv，不超过 10 MB）")})
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		s.showTargets(w, r, u, http.StatusBadRequest, targetListPage{Error: err.Error()})
		return
	}
	if s.opts.Register == nil {
		s.fail(w, r, u, http.StatusNotFound, "此服务未启用台账导入")
		return
	}
	ts, errs, err := s.opts.Register.ReadRegister(hdr.Filename, data)
	var bomb interface{ TooLarge() bool }
	if errors.As(err, &bomb) && bomb.TooLarge() {
		s.log.Warn("register not read: past the reading bounds", "user", u.Name, "file", hdr.Filename, "err", err)
		s.showTargets(w, r, u, http.StatusUnprocessableEntity, targetListPage{Error: s.tmpl.text(langOf(r), "台账文件过大或已损坏（解压后超出读取上限），未导入")})
		return
	}
	if err != nil {
		s.showTargets(w, r, u, http.StatusUnprocessableEntity, targetListPage{Error: fmt.Sprintf("%s：%v", hdr.Filename, err)})
		return
	}
	imported := ts[:0]
	for _, t := range ts {
		skipped, err := s.st.ImportTarget(r.Context(), t, s.now())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if skipped {
			errs = append(errs, fmt.Errorf("%s 由配置文件管理，未导入（declared in the configuration file）", t.Name))
			continue
		}
		imported = append(imported, t)
	}
	ts = imported
	s.log.Info("account register imported", "user", u.Name, "file", hdr.Filename, "accounts", len(ts), "bad_rows", len(errs))
	if len(errs) > 0 {
		p := targetListPage{Error: s.tmpl.format(langOf(r), "已导入 %d 个账号，%d 行有误未导入：", len(ts), len(errs))}
		for _, e := range errs {
			p.ImportErrors = append(p.ImportErrors, fmt.Sprintf("%s: %v", hdr.Filename, e))
		}
		s.showTargets(w, r, u, http.StatusOK, p)
		return
	}
	s.flash(w, r, "已导入 %d 个账号", len(ts))
	http.Redirect(w, r, "/targets", http.StatusSeeOther)
}
