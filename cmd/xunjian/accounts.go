package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/xunjian/xunjian/patrol"
	"github.com/xunjian/xunjian/reports"
)

// cmdAccounts manages the account register: import FILE, export FILE, list.
func cmdAccounts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"usage: xunjian accounts import FILE | export FILE | list  [--config xunjian.yaml]"}
	}
	verb, args := args[0], args[1:]
	var file string
	if verb != "list" {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return usageError{fmt.Sprintf("xunjian accounts %s needs a file (.xlsx or .csv)", verb)}
		}
		file, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("accounts", flag.ContinueOnError)
	open := dbFlags(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	st, _, err := open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "import":
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		ts, bad, err := patrol.Register{}.ReadRegister(file, data)
		if err != nil {
			return err
		}
		for _, e := range bad {
			fmt.Fprintf(stderr, "%s: %v\n", file, e)
		}
		imported, managed := 0, 0
		for _, t := range ts {
			skipped, err := st.ImportTarget(ctx, t, time.Now())
			if err != nil {
				return err
			}
			if skipped {
				fmt.Fprintf(stderr, "%s: %s 由配置文件管理，未导入（declared in the configuration file）\n", file, t.Name)
				managed++
				continue
			}
			imported++
		}
		fmt.Fprintf(stdout, "已导入 %d 个账号", imported)
		if n := len(bad) + managed; n > 0 {
			fmt.Fprintf(stdout, "，%d 行未导入（见上）", n)
		}
		fmt.Fprintln(stdout)
		return nil
	case "export", "list":
		stored, err := st.Targets(ctx, "account")
		if err != nil {
			return err
		}
		rows := patrol.Register{}.Rows(stored)
		if verb == "list" {
			return reports.WriteRows(stdout, rows)
		}
		for _, row := range rows[1:] {
			for i := range row {
				row[i] = reports.CellSafe(row[i])
			}
		}
		var b bytes.Buffer
		if err := reports.WriteWorkbook(&b, "政务新媒体账号", rows); err != nil {
			return err
		}
		if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已导出 %d 个账号到 %s\n", len(stored), file)
		return nil
	}
	return usageError{fmt.Sprintf("unknown accounts command %q (import, export, list)", verb)}
}
