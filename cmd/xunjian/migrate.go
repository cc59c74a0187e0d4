package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/xunjian/xunjian/store"
)

// cmdMigrate copies a district's database into a new one: its SQLite file
// into the PostgreSQL database of a city's deployment.
func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	from := fs.String("from", "", "the database to copy: a SQLite file (xunjian.db)")
	to := fs.String("to", "", "the empty database to copy it into: postgres://user@host:port/db (or a new SQLite file)")
	tenant := fs.String("tenant", "", "the district the copied targets and users belong to in the shared database (its staff then see only it)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		return usageError{"usage: xunjian migrate --from xunjian.db --to postgres://user@host:5432/xunjian"}
	}
	if !store.IsPostgres(*from) {
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("migrate: %s: %w", *from, errors.Unwrap(err))
		}
	}
	src, err := store.Open(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	start := time.Now()
	stats, err := src.CopyTo(ctx, dst, func(table string, rows int64) {
		fmt.Fprintf(stderr, "  %s：%d 行\n", table, rows)
	})
	if err != nil {
		return err
	}
	demoted, err := dst.SetTenant(ctx, strings.TrimSpace(*tenant))
	if err != nil {
		return err
	}
	if *tenant != "" {
		fmt.Fprintf(stdout, "巡检对象和用户已归入辖区“%s”。\n", strings.TrimSpace(*tenant))
	}
	if demoted > 0 {
		fmt.Fprintf(stdout, "原区县管理员 %d 人已改为本辖区监测人员（管理员管理全部辖区）；请用 xunjian users add 姓名 --role admin 创建市级管理员。\n", demoted)
	}
	fmt.Fprintf(stdout, "已复制 %d 行（%d 张表，用时 %s）到 %s；原数据库保持不变。用户需重新登录。\n",
		stats.Total(), len(stats.Tables), time.Since(start).Round(time.Millisecond), store.Redact(*to))
	return nil
}
