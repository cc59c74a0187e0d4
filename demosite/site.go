// Package demosite is the built-in sample district website that
// `xunjian demo` serves and scans, and that tests crawl: a government-CMS
// style site (home page with column blocks, paginated column lists,
// articles, policy documents with a metadata table and attachments, two
// GBK-encoded pages — one declared only in a late <meta>, one only in the
// HTTP header — a left-hand column menu on every list page and article,
// robots.txt) carrying known defects of every category.
// DEFECTS.md lists them.
package demosite

import (
	"bytes"
	"embed"
	"fmt"
	"github.com/xunjian/xunjian/config"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

var layout = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// Site serves the sample district site.
type Site struct {
	now      time.Time
	external string
	loc      *time.Location
	columns  map[string]column     // by URL
	articles map[string]*article   // by path
	byColumn map[string][]*article // newest first
	letters  []letter              // 区长信箱
}

// New builds the site as it looks at now. external is the base URL (no
// trailing slash) of the server from External, which stands in for the other
// websites the district links to, so nothing ever leaves the machine.
func New(now time.Time, external string) *Site {
	loc := config.OfficeZone()
	s := &Site{now: now.In(loc), external: strings.TrimSuffix(external, "/"), loc: loc,
		columns: map[string]column{}, articles: map[string]*article{}, byColumn: map[string][]*article{}}
	for _, c := range columns {
		s.columns[c.URL] = c
	}
	list := articles(s.now)
	for i := range list {
		a := &list[i]
		t := s.now.AddDate(0, 0, -a.DaysAgo)
		a.PubDate = time.Date(t.Year(), t.Month(), t.Day(), 9, 30, 0, 0, loc).Format("2006-01-02 15:04")
		a.Date = t.Format("2006-01-02")
		a.Body = template.HTML(strings.ReplaceAll(string(a.Body), "{{EXTERNAL}}", s.external))
		s.articles[a.Path] = a
		s.byColumn[a.Column] = append(s.byColumn[a.Column], a)
	}
	s.letters = letters(s.now)
	return s
}

type item struct{ Title, URL, Date string }

type pageLink struct {
	N       int
	URL     string
	Current bool
}

type crumb struct{ Name, URL string }

type block struct {
	Column column
	Items  []item
}

type pageData struct {
	Title, Heading, Charset, Host, Today, External string
	Padding                                        template.HTML
	Column                                         *column
	Article                                        *article
	Crumbs                                         []crumb
	Items                                          []item
	Pages                                          []pageLink
	Blocks                                         []block
	Featured                                       []item
	Letters                                        []letter
	Letter                                         *letter
}

const perPage = 15

// ServeHTTP answers like a typical district CMS, defects included.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/robots.txt":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "User-agent: *\nDisallow: /search/\nDisallow: /admin/\n")
		return
	case strings.HasPrefix(p, "/static/") || p == "/favicon.ico":
		s.static(w, r)
		return
	case strings.HasSuffix(p, "P020190510_sfml.pdf"):
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(PDF("Qingxi District fee list 2019", "Contact: Mr Li, mobile 13912345678"))
		return
	case p == "/lxwm/", p == "/xwzx/zwyw/202301/t20230105_0001.html", strings.HasSuffix(p, ".pdf"), strings.HasSuffix(p, ".wps"),
		p == "/zwfw/bszn/download/sqb.doc":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_ = layout.ExecuteTemplate(w, "notfound", nil)
		return
	case p == "/xwzx/zwyw/old_article.html": // a soft 404: 200 OK with an error page
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = layout.ExecuteTemplate(w, "notfound", nil)
		return
	case p == "/zwfw/zxbl/":
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	case p == "/hdjl/zxts/":
		http.Redirect(w, r, "/hdjl/zxts/login.jsp", http.StatusFound)
		return
	case p == "/hdjl/zxts/login.jsp":
		http.Redirect(w, r, "/hdjl/zxts/", http.StatusFound)
		return
	case strings.HasSuffix(p, ".xlsx"): // the 低保 list: unmasked IDs and mobiles
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Write(Xlsx("低保对象名册", [][]string{{"序号", "姓名", "身份证号码", "联系电话", "保障人数"},
			{"1", "张某", "11010519491231002X", "13900001111", "2"}, {"2", "李某", "330106198001011235", "13900003333", "1"},
			{"3", "王某", "33010619800101****", "139****4444", "3"}}))
		return
	case strings.HasSuffix(p, ".docx"):
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
		w.Write(Docx("青溪区优化营商环境若干措施", "一、全区各部门要再接再励，持续优化营商环境。", "二、本措施自发布之日起施行。"))
		return
	case p == "/hdjl/ldxx/":
		d := s.data(r, "区长信箱")
		d.Crumbs = []crumb{{Name: "互动交流", URL: "/hdjl/"}, {Name: "区长信箱", URL: "/hdjl/ldxx/"}}
		d.Letters = s.letters
		s.render(w, r, "mailbox", d)
		return
	case strings.HasPrefix(p, "/hdjl/ldxx/art_"):
		for i := range s.letters {
			if l := &s.letters[i]; l.URL == p {
				d := s.data(r, l.Title)
				d.Crumbs = []crumb{{Name: "互动交流", URL: "/hdjl/"}, {Name: "区长信箱", URL: "/hdjl/ldxx/"}}
				d.Letter = l
				s.render(w, r, "letter", d)
				return
			}
		}
	case p == "/hdjl/calendar.jsp":
		s.calendar(w, r)
		return
	case p == "/" || p == "/index.html":
		s.render(w, r, "home", s.home(r))
		return
	}
	if a := s.articles[p]; a != nil {
		s.article(w, r, a)
		return
	}
	colURL, pageNo := p, 0
	if i := strings.LastIndex(p, "/"); i >= 0 {
		colURL = p[:i+1]
		switch name := p[i+1:]; {
		case name == "" || name == "index.html":
		case strings.HasPrefix(name, "index_") && strings.HasSuffix(name, ".html"):
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "index_"), ".html"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			pageNo = n
		default:
			colURL = ""
		}
	}
	if c, ok := s.columns[colURL]; ok {
		s.list(w, r, c, pageNo)
		return
	}
	if title, ok := plainPages[p]; ok {
		d := s.data(r, title)
		d.Items = []item{{Title: "办事指南", URL: "/zwfw/bszn/"}}
		s.render(w, r, "list", d)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_ = layout.ExecuteTemplate(w, "notfound", nil)
}

var plainPages = map[string]string{
	"/about/": "关于我们", "/sitemap/": "网站地图", "/zhaocuo/": "我为政府网站找错", "/wza/": "无障碍浏览",
	"/english/": "English", "/zwfw/": "政务服务", "/zwfw/bszn/": "办事指南",
}

func (s *Site) data(r *http.Request, title string) pageData {
	return pageData{Title: title, Heading: title, Charset: "utf-8", Host: r.Host, External: s.external,
		Today: s.now.Format("2006年1月2日")}
}

func (s *Site) home(r *http.Request) pageData {
	d := s.data(r, "")
	for _, name := range homeBlocks {
		for _, c := range columns {
			if c.Name == name {
				b := block{Column: c}
				for i, a := range s.byColumn[name] {
					if i == 6 {
						break
					}
					b.Items = append(b.Items, item{Title: a.Title, URL: a.Path, Date: a.Date[5:]})
				}
				d.Blocks = append(d.Blocks, b)
			}
		}
	}
	d.Featured = d.Blocks[0].Items
	return d
}

func (s *Site) list(w http.ResponseWriter, r *http.Request, c column, pageNo int) {
	d := s.data(r, c.Name)
	d.Column = &c
	d.Crumbs = []crumb{{Name: c.Name, URL: c.URL}}
	all := s.byColumn[c.Name]
	pages := (len(all) + perPage - 1) / perPage
	if pageNo >= max(pages, 1) {
		http.NotFound(w, r)
		return
	}
	for _, a := range all[min(pageNo*perPage, len(all)):min((pageNo+1)*perPage, len(all))] {
		d.Items = append(d.Items, item{Title: a.Title, URL: a.Path, Date: a.Date})
	}
	if pages > 1 {
		for i := range pages {
			u := c.URL
			if i > 0 {
				u += "index_" + strconv.Itoa(i) + ".html"
			}
			d.Pages = append(d.Pages, pageLink{N: i + 1, URL: u, Current: i == pageNo})
		}
	}
	if c.Empty {
		d.Items = nil
		d.Pages = []pageLink{{N: 1, URL: "/hdjl/calendar.jsp?month=" + s.now.Format("2006-01"), Current: false}}
	}
	s.render(w, r, "list", d)
}

func (s *Site) article(w http.ResponseWriter, r *http.Request, a *article) {
	d := s.data(r, a.Title)
	d.Article = a
	for _, c := range columns {
		if c.Name == a.Column {
			d.Column = &c
			d.Crumbs = []crumb{{Name: c.Name, URL: c.URL}}
		}
	}
	ctype := "text/html"
	switch {
	case a.GBK:
		// A GBK page whose only charset declaration is a <meta> beyond the
		// first 1024 bytes, served without a charset in the header: what
		// older CMS do.
		d.Charset = "gbk"
		d.Padding = template.HTML("<!-- " + strings.Repeat("青溪区政府网站群内容管理系统 模板文件 ", 40) + "-->\n")
	case a.GBKHeader:
		// GBK declared in the HTTP header only, no <meta>: what a server
		// configured for the whole site does.
		d.Charset = ""
		ctype = "text/html; charset=GBK"
	default:
		s.render(w, r, "article", d)
		return
	}
	var buf bytes.Buffer
	if err := layout.ExecuteTemplate(&buf, "article", d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out, err := simplifiedchinese.GBK.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Write(out)
}

// calendar is a crawler trap: every month links to the next and the one
// before, forever.
func (s *Site) calendar(w http.ResponseWriter, r *http.Request) {
	m, err := time.Parse("2006-01", r.URL.Query().Get("month"))
	if err != nil {
		m = s.now
	}
	d := s.data(r, "活动日历 "+m.Format("2006年1月"))
	d.Items = []item{
		{Title: "上一月", URL: "/hdjl/calendar.jsp?month=" + m.AddDate(0, -1, 0).Format("2006-01")},
		{Title: "下一月", URL: "/hdjl/calendar.jsp?month=" + m.AddDate(0, 1, 0).Format("2006-01")},
	}
	s.render(w, r, "list", d)
}

func (s *Site) render(w http.ResponseWriter, r *http.Request, name string, d pageData) {
	var buf bytes.Buffer
	if err := layout.ExecuteTemplate(&buf, name, d); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

func (s *Site) static(w http.ResponseWriter, r *http.Request) {
	var file, ctype string
	switch r.URL.Path {
	case "/static/css/main.css":
		file, ctype = "static/main.css", "text/css"
	case "/static/js/jquery.min.js":
		file, ctype = "static/jquery.min.js", "application/javascript"
	case "/static/img/logo.png", "/static/img/gaba.png", "/favicon.ico":
		file, ctype = "static/logo.png", "image/png"
	case "/static/img/focus1.jpg":
		file, ctype = "static/logo.png", "image/jpeg"
	default: // focus2.jpg was deleted but is still on the home page
		http.NotFound(w, r)
		return
	}
	data, _ := staticFiles.ReadFile(file)
	w.Header().Set("Content-Type", ctype)
	w.Write(data)
}

// External stands in for the other websites the district links to (the city
// government, the ICP register …) so the demo never leaves the machine.
func External() http.Handler {
	mux := http.NewServeMux()
	page := func(title, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body><h1>%s</h1><p>%s</p></body></html>", title, title, body)
		}
	}
	mux.HandleFunc("GET /{$}", page("市人民政府", "市人民政府门户网站"))
	mux.HandleFunc("GET /zfwzndbb/", page("政府网站年度报表", "政府网站工作年度报表"))
	mux.HandleFunc("GET /beian/", page("ICP/IP地址/域名信息备案管理系统", "备案查询"))
	mux.HandleFunc("GET /casino/", page("澳门葡京娱乐城", "真人娱乐 在线博彩 注册送彩金"))
	mux.HandleFunc("GET /old-portal/", http.NotFound)
	return mux
}
