package web

import (
	"net/http"

	"github.com/xunjian/xunjian/store"
)

// Setting is one effective setting, as the settings page shows it.
type Setting struct {
	Group, Name, Value string
}

// settings is 设置 (administrators): the effective configuration —
// thresholds, schedules, crawl politeness, mail — read-only, secrets
// left out. It is changed in the configuration file, which is validated
// with file and line at start; the page says which file.
func (s *Server) settings(w http.ResponseWriter, r *http.Request, u store.User) {
	var groups []settingGroup
	for _, st := range s.opts.Settings {
		if len(groups) == 0 || groups[len(groups)-1].Name != st.Group {
			groups = append(groups, settingGroup{Name: st.Group})
		}
		g := &groups[len(groups)-1]
		g.Items = append(g.Items, st)
	}
	s.render(w, r, http.StatusOK, "settings", u, "设置", struct {
		File   string
		Groups []settingGroup
	}{s.opts.SettingsFile, groups})
}

type settingGroup struct {
	Name  string
	Items []Setting
}
