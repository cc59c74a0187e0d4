package extract

import (
	"bytes"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// 大汉 JCMS (Hanweb) writes a column's list as XML records inside a script
// element, which its jpage plugin turns into <li> rows in the browser:
//
//	<script type="text/xml"><datastore>
//	  <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=1229123…"></a>]]></nextgroup>
//	  <recordset><record><![CDATA[<li><a href="/art/2026/11/20/art_1229123_58912345.html">…</a><span>2026-11-20</span></li>]]></record>…</recordset>
//	</datastore></script>
//
// Further records come from dataproxy.jsp?startrecord=…&endrecord=…&perpage=…,
// which answers a bare <datastore>. An HTML parser sees neither, so the
// records are spliced into the page as the markup the browser would show,
// and the next group of records becomes a link.
var (
	datastoreScript = regexp.MustCompile(`(?is)<script[^>]*>\s*(<datastore\b.*?</datastore>)\s*</script>`)
	datastoreRoot   = regexp.MustCompile(`(?is)^\s*(?:<\?xml[^>]*>\s*)?(<datastore\b.*</datastore>)\s*$`)
	recordCDATA     = regexp.MustCompile(`(?is)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>`)
	nextGroup       = regexp.MustCompile(`(?is)<nextgroup>\s*<!\[CDATA\[.*?href\s*=\s*["']([^"']+)["']`)
	totalRecord     = regexp.MustCompile(`(?is)<totalrecord>\s*(\d+)\s*</totalrecord>`)
	perPage         = regexp.MustCompile(`(?i)\bper_?page["']?\s*[:=]\s*["']?(\d{1,3})`)
)

// maxRecords bounds the records one datastore may splice into a page.
const maxRecords = 5000

// expandDatastores splices JCMS datastore records into the page. continuation
// is true when the whole body is one datastore (a dataproxy answer).
func expandDatastores(body []byte, pageURL *url.URL) (out []byte, continuation bool) {
	if !bytes.Contains(body, []byte("datastore")) && !bytes.Contains(body, []byte("DATASTORE")) {
		return body, false
	}
	per := 15
	if m := perPage.FindSubmatch(body); m != nil {
		if v, err := strconv.Atoi(string(m[1])); err == nil && v > 0 {
			per = v
		}
	}
	if m := datastoreRoot.FindSubmatch(body); m != nil {
		start, _ := strconv.Atoi(queryValue(pageURL, "startrecord"))
		html, _ := datastoreHTML(m[1], pageURL, max(start, 1), per)
		return []byte("<html><body><div class=\"jcms-datastore\">" + html + "</div></body></html>"), true
	}
	out = datastoreScript.ReplaceAllFunc(body, func(script []byte) []byte {
		m := datastoreScript.FindSubmatch(script)
		html, _ := datastoreHTML(m[1], pageURL, 1, per)
		return []byte("<div class=\"jcms-datastore\">" + html + "</div>")
	})
	return out, false
}

// datastoreHTML is the markup of a datastore's records, followed by a link
// to the next group of records when there may be one. first is the number
// of the first record (1 on the column page).
func datastoreHTML(store []byte, pageURL *url.URL, first, per int) (string, int) {
	records := recordCDATA.FindAllSubmatch(store, maxRecords)
	var b strings.Builder
	for _, r := range records {
		b.Write(r[1])
		b.WriteByte('\n')
	}
	n := len(records)
	next := first + n // the first record not shown
	more := n >= per  // a full group: there may be more
	if m := totalRecord.FindSubmatch(store); m != nil {
		if total, err := strconv.Atoi(string(m[1])); err == nil {
			more = next <= total
		}
	}
	if more && pageURL != nil {
		if href := nextGroupURL(store, pageURL, next, per); href != "" {
			b.WriteString(`<a class="jcms-next" href="` + href + `"></a>`)
		}
	}
	return b.String(), n
}

// nextGroupURL is the dataproxy address of the records from first on, three
// pages at a time as the jpage plugin asks for them.
func nextGroupURL(store []byte, pageURL *url.URL, first, per int) string {
	var base *url.URL
	if m := nextGroup.FindSubmatch(store); m != nil {
		if u, err := pageURL.Parse(strings.ReplaceAll(string(m[1]), "&amp;", "&")); err == nil {
			base = u
		}
	} else if strings.Contains(pageURL.Path, "dataproxy") {
		base = pageURL
	}
	if base == nil {
		return ""
	}
	q := base.Query()
	q.Set("startrecord", strconv.Itoa(first))
	q.Set("endrecord", strconv.Itoa(first+3*per-1))
	q.Set("perpage", strconv.Itoa(per))
	u := *base
	u.RawQuery = q.Encode()
	return strings.ReplaceAll(u.String(), "&", "&amp;")
}

func queryValue(u *url.URL, key string) string {
	if u == nil {
		return ""
	}
	return u.Query().Get(key)
}

func itoa(i int) string { return strconv.Itoa(i) }

func atoi(s string) (int, error) { return strconv.Atoi(strings.TrimSpace(s)) }
