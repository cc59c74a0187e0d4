package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
	"github.com/xunjian/xunjian/store/storetest"
)

// xunjian migrate copies a district's file into an empty database once,
// says what it did, and refuses a second copy into the same database.
func TestMigrate(t *testing.T) {
	from := filepath.Join(t.TempDir(), "district.db")
	st, err := store.Open(context.Background(), from)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Scan(t, st, store.Target{Name: "青溪区", URL: "http://www.qxq.gov.cn/"}, time.Now(),
		checks.Finding{Category: checks.Typo, Severity: checks.Medium, URL: "http://www.qxq.gov.cn/a.html", Evidence: "按装", Rule: "typo.x"})
	st.Close()
	to := storetest.Database(t)
	code, out, errs := runCLI(t, "migrate", "--from", from, "--to", to, "--tenant", "青溪区")
	if code != 0 || !strings.Contains(out, "已复制") || !strings.Contains(errs, "issues：1 行") || !strings.Contains(out, "归入辖区“青溪区”") {
		t.Fatalf("migrate: exit %d\n%s\n%s", code, out, errs)
	}
	// The district joins the city's database as a tenant: its targets are
	// its staff's view.
	dst, err := store.Open(context.Background(), to)
	if err != nil {
		t.Fatal(err)
	}
	ts, _ := dst.TenantTargets(context.Background(), "青溪区")
	dst.Close()
	if len(ts) != 1 || ts[0].Name != "青溪区" {
		t.Errorf("the copied targets of tenant 青溪区: %+v", ts)
	}
	if code, _, errs := runCLI(t, "migrate", "--from", from, "--to", to); code != 1 || !strings.Contains(errs, "copy only into an empty database") {
		t.Errorf("a second copy: exit %d\n%s", code, errs)
	}
	if code, _, _ := runCLI(t, "migrate", "--to", to); code != 2 {
		t.Errorf("without --from: exit %d", code)
	}
	if code, _, errs := runCLI(t, "migrate", "--from", filepath.Join(t.TempDir(), "none.db"), "--to", to); code != 1 || !strings.Contains(errs, "none.db") {
		t.Errorf("a missing source: exit %d %s", code, errs)
	}
}
