package scan

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/xunjian/xunjian/store"
)

// The nightly patrol reads its targets once, then scans them one after
// the other (hours for big sites). A site renamed or edited in the UI in
// the meantime is written back by begin's SyncTarget when its turn comes:
// the edit is undone, or (a rename) a second target under the old name
// appears and takes the scan.
// A patrol reads its targets, then scans for hours: an edit made in the
// UI meanwhile (a new name, a new address) is kept, not written back from
// the patrol's copy.
func TestRun_ByStoredIDKeepsUIEdits(t *testing.T) {
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<html><head><title>首页</title></head><body><p>青溪区</p></body></html>`))
	}))
	defer srv.Close()
	st := tempStore(t)
	site := Site{Name: "区教育局网站", URL: srv.URL + "/", Owner: "区教育局", Email: "old@qxq.gov.cn"}
	id, _ := st.SyncTarget(ctx, store.Target{Name: site.Name, URL: site.URL, Owner: site.Owner, Email: site.Email}, time.Now())
	// The patrol has read `site`; an administrator now renames the target.
	if err := st.UpdateTarget(ctx, store.Target{ID: id, Name: "区教育局门户", URL: site.URL, Owner: "区教育局", Email: "new@qxq.gov.cn", Enabled: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	site.TargetID = id // as the patrol reads it from the store
	if _, err := Run(ctx, st, site, options()); err != nil {
		t.Fatal(err)
	}
	ts, _ := st.Targets(ctx, "")
	if len(ts) != 1 || ts[0].Name != "区教育局门户" || ts[0].Email != "new@qxq.gov.cn" {
		for _, tg := range ts {
			t.Errorf("target %d %q enabled=%v email=%s", tg.ID, tg.Name, tg.Enabled, tg.Email)
		}
	}
}
