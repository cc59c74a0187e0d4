package reports

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-analyze/charts"
)

// cjkFontPaths are where Linux distributions and Windows keep a Chinese
// font with TrueType outlines, which the chart library's rasteriser reads
// (Noto CJK has CFF outlines: it does not). The first that reads and has
// Chinese glyphs wins. Debian: apt-get install fonts-wqy-microhei.
var cjkFontPaths = []string{
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
	"/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
	"/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
	`C:\Windows\Fonts\simhei.ttf`,
	`C:\Windows\Fonts\msyh.ttc`,
}

// chartFamily installs the first usable CJK font into the chart library
// once and names it; "" when there is none, and the charts then label
// with numbers.
var chartFamily = sync.OnceValue(func() string {
	for _, path := range cjkFontPaths {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		family := "xunjian-cjk:" + path
		if charts.InstallFont(family, data) != nil {
			continue
		}
		f := charts.GetFont(family)
		if f != nil && f.Index('区') != 0 && f.Index('网') != 0 && f.Index('政') != 0 {
			return family
		}
	}
	return ""
})

// A figure is a chart as the notice embeds it.
type figure struct {
	PNG           []byte
	Width, Height int // pixels
	Caption       string
	AltText       string
}

// The charts' size in pixels and their text size: shown 150 mm wide, 18
// pixels come out near 小五 (9 pt).
const (
	chartWidth    = 900
	chartFontSize = 18
)

// noticeFigures draws the notice's charts: the health index trend,
// unresolved issues by category and by unit (the ten with most). family
// is the installed CJK font ("" for none: the bars are then numbered and
// the caption names them).
func noticeFigures(n Notice, family string, loc *time.Location) ([]figure, error) {
	var out []figure
	if len(n.Trend) > 0 {
		f, err := trendFigure(n, family, loc)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	var cats []string
	var catN []float64
	for _, c := range n.Problems {
		if c.Count > 0 {
			cats, catN = append(cats, c.Category.Label()), append(catN, float64(c.Count))
		}
	}
	if len(cats) > 0 {
		f, err := barFigure(cats, catN, family, "未解决问题分类统计", "类别")
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	units := slices.Clone(n.Units)
	units = slices.DeleteFunc(units, func(u UnitRank) bool { return u.Open <= 0 })
	slices.SortStableFunc(units, func(a, b UnitRank) int { return cmp.Compare(b.Open, a.Open) })
	title := "各责任单位未解决问题数量"
	if len(units) > 10 {
		units, title = units[:10], "未解决问题数量前10位的责任单位"
	}
	if len(units) > 0 {
		var names []string
		var open []float64
		for _, u := range units {
			names, open = append(names, dash(u.Unit)), append(open, float64(u.Open))
		}
		f, err := barFigure(names, open, family, title, "单位")
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	for i := range out {
		out[i].Caption = fmt.Sprintf("图%d %s", i+1, out[i].Caption)
	}
	return out, nil
}

func chartFont(family string, size float64) charts.FontStyle {
	fs := charts.FontStyle{FontSize: size, FontColor: charts.ColorBlack}
	if family != "" {
		fs.Font = charts.GetFont(family)
	}
	return fs
}

func newPainter(family string, w, h int) *charts.Painter {
	opt := charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: w, Height: h}
	if family != "" {
		opt.Font = charts.GetFont(family)
	}
	return charts.NewPainter(opt, charts.PainterThemeOption(charts.GetTheme(charts.ThemeLight)))
}

// count formats an axis value as an integer; the value axis of counts
// gets no fractional ticks.
func count(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }

func trendFigure(n Notice, family string, loc *time.Location) (figure, error) {
	var days []string
	var health []float64
	// Every step-th day is labelled, and the last; the library's own
	// choice can crowd the last two labels together.
	step := max(1, (len(n.Trend)+6)/7)
	for i, p := range n.Trend {
		day := ""
		if last := len(n.Trend) - 1; i == last || i%step == 0 && last-i >= step/2+1 {
			day = p.Day.In(loc).Format("01-02")
		}
		days = append(days, day)
		health = append(health, float64(p.Health))
	}
	fs := chartFont(family, chartFontSize)
	opt := charts.NewLineChartOptionWithData([][]float64{health})
	opt.Padding = charts.NewBox(20, 24, 40, 16)
	opt.XAxis.Labels = days
	opt.XAxis.LabelFontStyle = fs
	opt.XAxis.LabelCount = len(days) + 1
	opt.YAxis = []charts.YAxisOption{{Min: charts.Ptr(0.0), Max: charts.Ptr(100.0), LabelCount: 6,
		LabelFontStyle: fs, ValueFormatter: count}}
	opt.Symbol = charts.Symbol{Shape: charts.SymbolNone}
	opt.LineStrokeWidth = 3
	h := chartWidth / 2
	p := newPainter(family, chartWidth, h)
	if err := p.LineChart(opt); err != nil {
		return figure{}, fmt.Errorf("trend chart: %w", err)
	}
	png, err := p.Bytes()
	caption := "全区健康指数走势"
	if n.Period.Label != "" {
		caption += "（" + n.Period.Label + "）"
	}
	return figure{PNG: png, Width: chartWidth, Height: h, Caption: caption,
		AltText: caption + "：纵轴为健康指数（0—100），横轴为日期"}, err
}

// barFigure draws horizontal bars, the first label on top. Without a CJK
// font the bars are numbered 1, 2, … and the caption says what each
// number is.
func barFigure(labels []string, values []float64, family, caption, what string) (figure, error) {
	shown := slices.Clone(labels)
	var legend []string
	if family == "" {
		for i, l := range labels {
			shown[i] = strconv.Itoa(i + 1)
			legend = append(legend, fmt.Sprintf("%d %s", i+1, l))
		}
	}
	slices.Reverse(shown) // the chart draws the first category at the bottom
	vals := slices.Clone(values)
	slices.Reverse(vals)
	fs := chartFont(family, chartFontSize)
	opt := charts.NewBarChartOptionWithData([][]float64{vals})
	opt.Horizontal = true
	opt.Padding = charts.NewBox(20, 20, 48, 16)
	opt.CategoryAxis.Labels = shown
	opt.CategoryAxis.LabelFontStyle = fs
	end, ticks := countAxis(slices.Max(vals))
	opt.ValueAxis = []charts.ValueAxisOption{{Min: charts.Ptr(0.0), Max: &end, LabelCount: ticks,
		LabelFontStyle: fs, ValueFormatter: count}}
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	opt.SeriesList[0].Label.FontStyle = fs
	opt.SeriesList[0].Label.ValueFormatter = count
	opt.BarSize = 0.6
	h := min(600, max(240, 80+40*len(labels)))
	p := newPainter(family, chartWidth, h)
	if err := p.BarChart(opt); err != nil {
		return figure{}, fmt.Errorf("bar chart: %w", err)
	}
	png, err := p.Bytes()
	alt := caption + "：" + strings.Join(pairs(labels, values), "，")
	if len(legend) > 0 {
		caption += "（图中序号：" + strings.Join(legend, "；") + "）"
	}
	return figure{PNG: png, Width: chartWidth, Height: h, Caption: caption, AltText: alt}, err
}

// countAxis is a value axis's end and label count for counts up to v:
// whole, round steps (1, 2, 5, 10, 20 …), the end above v.
func countAxis(v float64) (end float64, labels int) {
	step := 1.0
	for v/step > 5 {
		switch {
		case v/(step*2) <= 5:
			step *= 2
		case v/(step*5) <= 5:
			step *= 5
		default:
			step *= 10
		}
	}
	end = step * (math.Floor(v/step) + 1)
	return end, int(end/step) + 1
}

func pairs(labels []string, values []float64) []string {
	out := make([]string, len(labels))
	for i := range labels {
		out[i] = labels[i] + " " + count(values[i])
	}
	return out
}
