package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/web"
)

// cmdUsers manages who may sign in to the staff UI.
func cmdUsers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usageText = "usage: xunjian users add NAME [--role admin|staff|owner --unit 区卫健委] [--tenant 青溪区] | reset NAME | disable NAME | enable NAME | list  [--config xunjian.yaml | --db FILE]"
	if len(args) == 0 {
		return usageError{usageText}
	}
	verb, args := args[0], args[1:]
	var name string
	if verb != "list" {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return usageError{usageText}
		}
		name, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("users", flag.ContinueOnError)
	open := dbFlags(fs)
	role := fs.String("role", store.RoleStaff, "admin, staff, or owner (add)")
	unit := fs.String("unit", "", "the owning unit of an owner account (add --role owner)")
	tenant := fs.String("tenant", "", "in a database many districts share: the district whose targets the account sees (staff or owner; add)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	st, loc, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "list":
		users, err := st.Users(ctx)
		if err != nil {
			return err
		}
		rows := [][]string{{"用户名", "角色", "责任单位", "辖区", "状态", "最近登录"}}
		for _, u := range users {
			state, last := "正常", ""
			if u.Disabled {
				state = "已停用"
			}
			if !u.LastLogin.IsZero() {
				last = u.LastLogin.In(loc).Format("2006-01-02 15:04") // the office's clock, not the server's
			}
			rows = append(rows, []string{u.Name, u.Role, u.Unit, u.Tenant, state, last})
		}
		return reports.WriteRows(stdout, rows)
	case "add":
		password, err := web.AddUser(ctx, st, store.User{Name: name, Role: *role, Unit: *unit, Tenant: *tenant}, 0, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已创建用户 %s（%s），初始密码：%s\n（只显示这一次，请转交本人并提醒登录后修改）\n", name, *role, password)
		return nil
	}
	u, err := st.UserByName(ctx, name)
	if err != nil {
		return err
	}
	switch verb {
	case "reset":
		password, err := web.ResetPassword(ctx, st, u.ID, 0)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已重置 %s 的密码：%s（只显示这一次）\n", name, password)
	case "disable", "enable":
		if err := st.SetUserDisabled(ctx, u.ID, verb == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已%s用户 %s\n", map[string]string{"disable": "停", "enable": "启"}[verb], name)
	default:
		return usageError{usageText}
	}
	return nil
}

// cmdBackup writes a consistent copy of the database, also while serve runs.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const usageText = "usage: xunjian backup FILE [--config xunjian.yaml | --db FILE]"
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return usageError{usageText}
	}
	file, args := args[0], args[1:]
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	open := dbFlags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	st, _, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, file); err != nil {
		return err
	}
	fi, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s（%.1f MB，用时 %s）\n", file, float64(fi.Size())/(1<<20), time.Since(start).Round(time.Millisecond))
	return nil
}
