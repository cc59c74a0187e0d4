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
	// The jpage({… totalRecord:8, perPage:5, groupSize:1, proxyUrl:'…',
	// ajaxParam:param_5678901 …}) call and its parameter object
	// var param_5678901 = {col:1, …, columnid:1229123, …};
	jpageTotal = regexp.MustCompile(`(?i)\btotalRecord["']?\s*:\s*["']?(\d+)`)
	jpageGroup = regexp.MustCompile(`(?i)\bgroupSize["']?\s*:\s*["']?(\d{1,2})`)
	jpageProxy = regexp.MustCompile(`(?i)\bproxyUrl["']?\s*:\s*["']([^"']+)["']`)
	jpageParam = regexp.MustCompile(`(?i)\bajaxParam["']?\s*:\s*([A-Za-z_$][\w$]*)`)
	jsObject   = regexp.MustCompile(`(?s)\{([^{}]*)\}`)
	jsKeyValue = regexp.MustCompile(`([A-Za-z_$][\w$]*)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s}]+))`)
)

// maxGroups bounds the dataproxy requests one column page can ask for.
const maxGroups = 200

// jpage is how a JCMS column page asks its dataproxy for more records.
type jpage struct {
	proxy      *url.URL
	params     url.Values
	total, per int
	group      int
}

// jpageOf reads the jpage call of a page; ok is false when it has none
// with a proxy address.
func jpageOf(body []byte, pageURL *url.URL) (jpage, bool) {
	j := jpage{per: 15, group: 1, params: url.Values{}}
	m := jpageProxy.FindSubmatch(body)
	if m == nil || pageURL == nil {
		return j, false
	}
	proxy, err := pageURL.Parse(string(m[1]))
	if err != nil {
		return j, false
	}
	j.proxy = proxy
	if m := perPage.FindSubmatch(body); m != nil {
		j.per, _ = strconv.Atoi(string(m[1]))
	}
	if m := jpageGroup.FindSubmatch(body); m != nil {
		j.group, _ = strconv.Atoi(string(m[1]))
	}
	if m := jpageTotal.FindSubmatch(body); m != nil {
		j.total, _ = strconv.Atoi(string(m[1]))
	}
	j.per, j.group = max(j.per, 1), max(j.group, 1)
	if m := jpageParam.FindSubmatch(body); m != nil {
		decl := regexp.MustCompile(`\b` + regexp.QuoteMeta(string(m[1])) + `\s*=\s*\{`)
		if loc := decl.FindIndex(body); loc != nil {
			if obj := jsObject.FindSubmatch(body[loc[1]-1:]); obj != nil {
				for _, kv := range jsKeyValue.FindAllSubmatch(obj[1], 64) {
					j.params.Set(string(kv[1]), string(kv[2])+string(kv[3])+string(kv[4]))
				}
			}
		}
	}
	return j, true
}

// links are the dataproxy addresses of the records after the first shown,
// one group of pages each, as the plugin asks for them.
func (j jpage) links(shown int) []string {
	var out []string
	step := j.per * j.group
	for start := shown + 1; start <= j.total && len(out) < maxGroups; start += step {
		q := url.Values{}
		for k, v := range j.params {
			q[k] = v
		}
		q.Set("startrecord", strconv.Itoa(start))
		q.Set("endrecord", strconv.Itoa(start+step-1))
		q.Set("perpage", strconv.Itoa(j.per))
		u := *j.proxy
		u.RawQuery = q.Encode()
		out = append(out, u.String())
	}
	return out
}

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
	jp, hasJpage := jpageOf(body, pageURL)
	out = datastoreScript.ReplaceAllFunc(body, func(script []byte) []byte {
		m := datastoreScript.FindSubmatch(script)
		if !hasJpage || jp.total == 0 {
			html, _ := datastoreHTML(m[1], pageURL, 1, per)
			return []byte("<div class=\"jcms-datastore\">" + html + "</div>")
		}
		// The page says how many records there are and where the plugin
		// asks for them: one link per group of pages.
		records := recordCDATA.FindAllSubmatch(m[1], maxRecords)
		var b strings.Builder
		b.WriteString(`<div class="jcms-datastore">`)
		for _, r := range records {
			b.Write(record(r[1]))
			b.WriteByte('\n')
		}
		for _, l := range jp.links(len(records)) {
			b.WriteString(`<a class="jcms-next" href="` + strings.ReplaceAll(l, "&", "&amp;") + `"></a>`)
		}
		b.WriteString("</div>")
		return []byte(b.String())
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
		b.Write(record(r[1]))
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

// record is one record's markup, cut at a comment it opens and never
// closes: one broken record must not swallow the rest of the page.
func record(r []byte) []byte {
	if i := bytes.LastIndex(r, []byte("<!--")); i >= 0 && !bytes.Contains(r[i:], []byte("-->")) {
		return r[:i]
	}
	return r
}

func queryValue(u *url.URL, key string) string {
	if u == nil {
		return ""
	}
	return u.Query().Get(key)
}

func itoa(i int) string { return strconv.Itoa(i) }

func atoi(s string) (int, error) { return strconv.Atoi(strings.TrimSpace(s)) }
