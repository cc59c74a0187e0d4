package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/xunjian/xunjian/store"
)

type userListPage struct {
	Users             []store.User
	Units             []string // for owner accounts
	NewName, Password string   // shown once after an add or a reset
	Error             string
}

// userList is 用户管理 (administrators): who may sign in, with which role.
func (s *Server) userList(w http.ResponseWriter, r *http.Request, u store.User) {
	s.showUsers(w, r, u, http.StatusOK, userListPage{})
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, u store.User, code int, p userListPage) {
	users, err := s.st.Users(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Users = users
	if p.Units, err = s.st.Owners(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, code, "users", u, "用户管理", p)
}

// userAdd creates a user with a random password, shown once on the page
// that answers (not in a redirect, not in the log).
func (s *Server) userAdd(w http.ResponseWriter, r *http.Request, u store.User) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	role := r.PostFormValue("role")
	if name == "" || utf8.RuneCountInString(name) > 64 || strings.ContainsAny(name, " \t\r\n") {
		s.showUsers(w, r, u, http.StatusUnprocessableEntity, userListPage{Error: s.tmpl.text(langOf(r), "用户名不能为空、不能含空格，最长 64 个字符")})
		return
	}
	password, err := AddUser(r.Context(), s.st, store.User{Name: name, Role: role, Unit: r.PostFormValue("unit"), Tenant: r.PostFormValue("tenant")}, s.opts.BcryptCost, s.now())
	switch {
	case errors.Is(err, store.ErrExists):
		s.showUsers(w, r, u, http.StatusConflict, userListPage{Error: s.tmpl.text(langOf(r), "用户名已存在")})
		return
	case errors.Is(err, store.ErrInvalid):
		s.showUsers(w, r, u, http.StatusUnprocessableEntity, userListPage{Error: s.tmpl.text(langOf(r), "请选择角色；责任单位账号须填写单位名称")})
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.log.Info("user added", "by", u.Name, "user", name, "role", role)
	s.showUsers(w, r, u, http.StatusOK, userListPage{NewName: name, Password: password})
}

// userAction: reset (a new random password), disable, enable, admin, staff.
// Administrators cannot lock themselves out.
func (s *Server) userAction(w http.ResponseWriter, r *http.Request, u store.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, u, http.StatusNotFound, "没有这个用户")
		return
	}
	target, err := s.st.UserByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, u, http.StatusNotFound, "没有这个用户")
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	action := r.PathValue("action")
	if id == u.ID && action == "reset" {
		// One's own password is changed knowing the current one.
		http.Redirect(w, r, "/password", http.StatusSeeOther)
		return
	}
	if id == u.ID {
		s.showUsers(w, r, u, http.StatusConflict, userListPage{Error: s.tmpl.text(langOf(r), "不能停用自己或取消自己的管理员权限")})
		return
	}
	switch action {
	case "reset":
		password, err := ResetPassword(r.Context(), s.st, id, s.opts.BcryptCost)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		s.log.Info("password reset", "by", u.Name, "user", target.Name)
		s.showUsers(w, r, u, http.StatusOK, userListPage{NewName: target.Name, Password: password})
		return
	case "disable", "enable":
		err = s.st.SetUserDisabled(r.Context(), id, action == "disable")
	case store.RoleAdmin, store.RoleStaff:
		err = s.st.SetRole(r.Context(), id, action, "")
	default:
		s.fail(w, r, u, http.StatusNotFound, "未知操作")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("user changed", "by", u.Name, "user", target.Name, "action", action)
	s.flash(w, r, "已更新用户“%s”", target.Name)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}

type passwordPage struct{ Error string }

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, u store.User) {
	s.render(w, r, http.StatusOK, "password", u, "修改密码", passwordPage{})
}

// passwordChange lets a user replace their own password; every session of
// theirs ends, so they sign in again.
func (s *Server) passwordChange(w http.ResponseWriter, r *http.Request, u store.User) {
	retry := func(msg string) {
		s.render(w, r, http.StatusUnprocessableEntity, "password", u, "修改密码", passwordPage{Error: s.tmpl.text(langOf(r), msg)})
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(r.PostFormValue("current"))) != nil {
		retry("当前密码不正确")
		return
	}
	password := r.PostFormValue("password")
	if password != r.PostFormValue("repeat") {
		retry("两次输入的新密码不一致")
		return
	}
	hash, err := HashPassword(password, s.opts.BcryptCost)
	if err != nil {
		retry("密码至少 8 个字符，不超过 72 字节")
		return
	}
	if err := s.st.SetPassword(r.Context(), u.ID, hash); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.log.Info("password changed", "user", u.Name)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
