package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/xunjian/xunjian/reports"
	"github.com/xunjian/xunjian/store"
)

// maxExport caps one export; a bigger list is narrowed with the filters.
const maxExport = 200000

func (s *Server) issueExportCSV(w http.ResponseWriter, r *http.Request, u store.User) {
	s.export(w, r, u, "csv", "text/csv; charset=utf-8", reports.WriteCSV)
}

func (s *Server) issueExportXLSX(w http.ResponseWriter, r *http.Request, u store.User) {
	s.export(w, r, u, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", reports.WriteXLSX)
}

// export writes the list of the current filter (every page of it) as a
// file with Chinese headers; cells that would be formulas are neutralised
// by reports.
func (s *Server) export(w http.ResponseWriter, r *http.Request, u store.User, ext, ctype string,
	write func(io.Writer, []store.Issue, *time.Location) error) {
	q := ownView(parseListQuery(r.URL.Query()), u)
	f, err := q.filter(s.loc, s.now())
	if err != nil {
		s.fail(w, r, u, http.StatusBadRequest, "%s", s.tmpl.messageIn(langOf(r), err))
		return
	}
	f.Limit = maxExport
	list, err := s.st.Issues(r.Context(), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := write(&b, list, s.loc); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := fmt.Sprintf("问题清单-%s.%s", s.now().In(s.loc).Format("20060102-1504"), ext)
	s.log.Info("issues exported", "user", u.Name, "format", ext, "rows", len(list))
	download(w, ctype, "issues."+ext, name, b.Bytes())
}
