package reports

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/xunjian/xunjian/checks"
	"github.com/xunjian/xunjian/store"
)

//go:embed templates/*
var templateFiles embed.FS

var (
	digestHTML = htmltemplate.Must(htmltemplate.New("digest.html").Funcs(htmltemplate.FuncMap{"label": label, "sev": sevLabel, "detail": Detail}).ParseFS(templateFiles, "templates/digest.html", "templates/summary.html"))
	digestText = texttemplate.Must(texttemplate.New("digest.txt").Funcs(texttemplate.FuncMap{"label": label, "sev": sevLabel, "detail": Detail}).ParseFS(templateFiles, "templates/digest.txt", "templates/summary.txt"))
)

func label(c checks.Category) string    { return c.Label() }
func sevLabel(s checks.Severity) string { return s.Label() }

// Detail is an issue's message without the category it may open with
// (严重表述错误：“…”应为“…”), for a line that already names the category:
// the digests say “严重表述错误：“…”应为“…””, not the category twice.
func Detail(category checks.Category, message string) string {
	if rest, ok := strings.CutPrefix(message, label(category)+"："); ok && rest != "" {
		return rest
	}
	return message
}

// Week is an ISO week in the office's time zone.
type Week struct {
	Year, Number int
	Start, End   time.Time // Monday 00:00, and the next Monday
}

// WeekOf is the ISO week holding t (in t's location).
func WeekOf(t time.Time) Week {
	y, w := t.ISOWeek()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	start := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	return Week{Year: y, Number: w, Start: start, End: start.AddDate(0, 0, 7)}
}

// ParseWeek reads "2026-W48" in loc.
func ParseWeek(s string, loc *time.Location) (Week, error) {
	var y, w int
	if _, err := fmt.Sscanf(s, "%d-W%d", &y, &w); err != nil || w < 1 || w > 53 {
		return Week{}, fmt.Errorf("reports: week %q is not YYYY-Www (e.g. 2026-W48)", s)
	}
	jan4 := time.Date(y, 1, 4, 12, 0, 0, 0, loc) // always in ISO week 1
	wk := WeekOf(jan4.AddDate(0, 0, 7*(w-1)))
	if wk.Year != y || wk.Number != w {
		return Week{}, fmt.Errorf("reports: %d has no week %d", y, w)
	}
	return wk, nil
}

// String is the week as 2026-W48.
func (w Week) String() string { return fmt.Sprintf("%d-W%02d", w.Year, w.Number) }

// DigestItem is one issue as a digest lists it.
type DigestItem struct {
	store.Issue
	Link    string // the issue's page in the staff UI
	AgeDays int    // days since first seen
}

// Group is one site or account of a unit, with its items by section.
type Group struct {
	Target                    string
	New, Open, Overdue, Fixed []DigestItem
	// Alert says why the target's last scan closed nothing although it ran
	// to its end (it read far fewer pages than the last complete one).
	Alert string
}

// ScanAlert is a target whose last scan read far fewer pages than its last
// complete one, and so verified no fix.
type ScanAlert struct {
	Target string
	Text   string // 最近一次巡检（11月30日 02:30）本次仅抓取 1 页（上次 495 页），…
}

// ScanAlerts are the targets whose last scan (of the given ones, each
// target's last, started by now) collapsed, by target name.
func ScanAlerts(scans []store.Scan, now time.Time) []ScanAlert {
	var out []ScanAlert
	for _, sc := range scans {
		if sc.StartedAt.After(now) {
			continue
		}
		if note := sc.CollapseNote(); note != "" {
			at := sc.StartedAt.In(now.Location()).Format("1月2日 15:04")
			out = append(out, ScanAlert{Target: sc.Target,
				Text: "最近一次巡检（" + at + "）" + note + "；已整改的问题将在下次完整巡检时复查"})
		}
	}
	slices.SortFunc(out, func(a, b ScanAlert) int { return cmp.Compare(a.Target, b.Target) })
	return out
}

// Digest is one unit's weekly mail.
type Digest struct {
	Unit, Email string
	Week        Week
	Groups      []Group
	Vetoes      []DigestItem // unresolved veto-risk issues of the unit's targets
	// NewCount are the unresolved issues first seen this week, CarriedCount
	// those from before it (仍未整改): together, Unresolved (待整改).
	NewCount, CarriedCount, OverdueCount, FixedCount int
	Subject                                          string
	HTML, Text                                       string
}

// Unresolved counts what the unit still has to fix (待整改): the one count
// the subject, the mail and the UI's digest page give.
func (d Digest) Unresolved() int { return d.NewCount + d.CarriedCount }

// VetoCategories are the findings that can fail a site or account outright
// (单项否决) when they are severe.
var VetoCategories = []checks.Category{checks.HomepageStale, checks.SiteUnreachable, checks.StaleAccount,
	checks.SeriousError, checks.DarkLink, checks.EmptyColumn, checks.StaleColumn, checks.InteractionUnanswered}

// DigestInput is what the digests are built from.
type DigestInput struct {
	Issues    []store.Issue       // every issue (any status)
	Verified  map[int64]time.Time // when issues were verified fixed
	Emails    map[string]string   // unit → address
	BaseURL   string              // the staff UI, for links
	Week      Week
	Now       time.Time
	SendEmpty bool // units with nothing open get a mail too
	// Scans are each target's last crawl: a collapsed one is said in the
	// digests of the units with issues on that target.
	Scans []store.Scan
}

// BuildDigests groups the issues by owning unit for one week and renders
// each unit's mail; units without an address are skipped (the staff summary
// names them).
func BuildDigests(in DigestInput) ([]Digest, error) {
	byUnit := map[string]*Digest{}
	get := func(unit string) *Digest {
		d := byUnit[unit]
		if d == nil {
			d = &Digest{Unit: unit, Email: in.Emails[unit], Week: in.Week}
			byUnit[unit] = d
		}
		return d
	}
	alerts := map[string]string{}
	for _, a := range ScanAlerts(in.Scans, in.Now) {
		alerts[a.Target] = a.Text
	}
	groups := map[string]map[string]*Group{}
	group := func(d *Digest, target string) *Group {
		if groups[d.Unit] == nil {
			groups[d.Unit] = map[string]*Group{}
		}
		g := groups[d.Unit][target]
		if g == nil {
			g = &Group{Target: target, Alert: alerts[target]}
			groups[d.Unit][target] = g
		}
		return g
	}
	for _, is := range in.Issues {
		unit := cmp.Or(is.Owner, "（未指定单位）")
		item := DigestItem{Issue: is, Link: strings.TrimSuffix(in.BaseURL, "/") + fmt.Sprintf("/issues/%d", is.ID),
			AgeDays: int(in.Now.Sub(is.FirstSeen).Hours() / 24)}
		unresolved := slices.Contains(store.Unresolved, is.Status)
		if at, ok := in.Verified[is.ID]; ok && !at.Before(in.Week.Start) && at.Before(in.Week.End) && is.Status == store.StatusVerified {
			d := get(unit)
			group(d, is.Target).Fixed = append(group(d, is.Target).Fixed, item)
			d.FixedCount++
			continue
		}
		if !unresolved || is.FirstSeen.After(in.Week.End) {
			continue
		}
		d := get(unit)
		g := group(d, is.Target)
		if !is.FirstSeen.Before(in.Week.Start) {
			g.New = append(g.New, item)
			d.NewCount++
		} else {
			g.Open = append(g.Open, item)
			d.CarriedCount++
		}
		if dl, err := time.ParseInLocation("2006-01-02", is.Deadline, in.Now.Location()); err == nil && dl.Before(in.Now) {
			g.Overdue = append(g.Overdue, item)
			d.OverdueCount++
		}
		if is.Severity == checks.High && slices.Contains(VetoCategories, is.Category) {
			d.Vetoes = append(d.Vetoes, item)
		}
	}
	var out []Digest
	for _, unit := range slices.Sorted(func(yield func(string) bool) {
		for u := range byUnit {
			if !yield(u) {
				return
			}
		}
	}) {
		d := byUnit[unit]
		if d.Unresolved() == 0 && !in.SendEmpty {
			continue
		}
		for _, t := range slices.Sorted(func(yield func(string) bool) {
			for t := range groups[unit] {
				if !yield(t) {
					return
				}
			}
		}) {
			d.Groups = append(d.Groups, *groups[unit][t])
		}
		d.Subject = fmt.Sprintf("【网站巡检周报】%s %d年第%d周：待整改 %d 项（新增 %d 项）", d.Unit, d.Week.Year, d.Week.Number, d.Unresolved(), d.NewCount)
		if err := render(d, "digest"); err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// Summary is the monitoring staff's mail: every unit's counts, the worst
// offenders first, and what is overdue.
type Summary struct {
	Week                Week
	Units               []Digest    // counts only
	Alerts              []ScanAlert // targets whose last scan closed nothing for want of pages
	Overdue             []DigestItem
	NoAddress           []string // units that got no mail for want of an address
	Total, New, Fixed   int
	Subject, HTML, Text string
}

// BuildSummary renders the staff summary from the units' digests and the
// targets whose last scan collapsed (ScanAlerts).
func BuildSummary(digests []Digest, week Week, alerts []ScanAlert) (Summary, error) {
	s := Summary{Week: week, Units: slices.Clone(digests), Alerts: alerts}
	slices.SortStableFunc(s.Units, func(a, b Digest) int { return cmp.Compare(b.Unresolved(), a.Unresolved()) })
	for _, d := range digests {
		s.Total += d.Unresolved()
		s.New += d.NewCount
		s.Fixed += d.FixedCount
		if d.Email == "" {
			s.NoAddress = append(s.NoAddress, d.Unit)
		}
		for _, g := range d.Groups {
			s.Overdue = append(s.Overdue, g.Overdue...)
		}
	}
	s.Subject = fmt.Sprintf("【网站巡检周报】汇总 %d年第%d周：待整改 %d 项，涉及 %d 个单位", week.Year, week.Number, s.Total, len(digests))
	var h, t bytes.Buffer
	if err := digestHTML.ExecuteTemplate(&h, "summary.html", s); err != nil {
		return s, fmt.Errorf("reports: summary: %w", err)
	}
	if err := digestText.ExecuteTemplate(&t, "summary.txt", s); err != nil {
		return s, fmt.Errorf("reports: summary: %w", err)
	}
	s.HTML, s.Text = h.String(), t.String()
	return s, nil
}

func render(d *Digest, name string) error {
	var h, t bytes.Buffer
	if err := digestHTML.ExecuteTemplate(&h, name+".html", d); err != nil {
		return fmt.Errorf("reports: digest for %s: %w", d.Unit, err)
	}
	if err := digestText.ExecuteTemplate(&t, name+".txt", d); err != nil {
		return fmt.Errorf("reports: digest for %s: %w", d.Unit, err)
	}
	d.HTML, d.Text = h.String(), t.String()
	return nil
}
