package web

// chart is a bar chart drawn as SVG on the server (templates/_chart.html):
// no script, no library. Each group (a week, a month) has one bar per
// series.
type chart struct {
	Width, Height int
	Label         string // what the chart shows, for screen readers
	Groups        []barGroup
}

type barGroup struct {
	Label  string
	LabelX int
	Bars   []bar
}

type bar struct {
	X, Y, W, H, N int
	LabelX        int
	Fill, Title   string
}

// barChart lays out series of counts (one value per label each) in a
// width × height box; fills and names are per series.
func barChart(width, height int, label string, labels []string, fills, names []string, series ...[]int) chart {
	c := chart{Width: width, Height: height, Label: label}
	top := 1
	for _, s := range series {
		for _, n := range s {
			top = max(top, n)
		}
	}
	const above, below, left = 16, 24, 8
	slot := (width - left) / max(len(labels), 1)
	w := slot * 2 / 3 / max(len(series), 1)
	for i, l := range labels {
		x := left + i*slot + slot/6
		g := barGroup{Label: l, LabelX: x + w*len(series)/2}
		for k, s := range series {
			h := s[i] * (height - above - below) / top
			bx := x + k*w
			g.Bars = append(g.Bars, bar{X: bx, Y: height - below - h, W: w, H: h, N: s[i], LabelX: bx + w/2,
				Fill: fills[k], Title: l + " " + names[k]})
		}
		c.Groups = append(c.Groups, g)
	}
	return c
}
