package views

// The timeline drawing. It is one reusable component: NewTimeline lays a
// TimelineInput out into a Timeline, and the templ component
// TimelineFigure(t) draws it (TimelineNav adds the zoom and pan links, the
// overview strip and the selection panel around it, as /timeline shows).
//
// To draw a timeline elsewhere (an era page, a story step, the event
// page's mini-timeline), build the input in a handler with
// Server.timelineInput (web/handlers_timeline.go), which reads the events
// a filter selects in a window and decides whether to aggregate, then
//
//	t := views.NewTimeline(in) // in.Mini = true and in.Width = MiniTimelineWidth for a small one
//	@views.TimelineFigure(t)
//
// A mini timeline has no lanes, no era labels row and no navigation; its
// items link to the event pages, and in.Selected marks one event.

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/japan-dprk/timeline/timeline"
	"github.com/japan-dprk/timeline/web/locales"
)

// Lanes modes.
const (
	LanesCategory = "category"
	LanesActor    = "actor"
	LanesNone     = "none"
)

// Timeline sizes and limits.
const (
	// TimelineMaxItems is how many events a view draws one by one; above
	// it the drawing counts events per month or year.
	TimelineMaxItems = 300
	// DefaultTimelineWidth is the drawing's width in px when the request
	// does not say (scripts ask for the width of the reader's screen).
	DefaultTimelineWidth = 1150
	// DefaultTimelineWidthBeside is the default when the selection panel
	// takes a column beside the drawing.
	DefaultTimelineWidthBeside = 810
	// EraTimelineWidth fits the results column of an era's page on a
	// wide screen (narrower screens scroll it in its box).
	EraTimelineWidth = 856
	// EraTimelineNarrowWidth is the era's drawing in a narrower column:
	// a phone's (it shrinks to a 320 px screen's, app.css).
	EraTimelineNarrowWidth = 336
	// MinTimelineWidth is the narrowest drawing: the column of a 280 px
	// screen (a folded phone), so that no phone scrolls the page sideways.
	MinTimelineWidth = 240
	// MiniTimelineWidth is the width of a small drawing (an event page's
	// context); it shrinks to its column (app.css, .tl-mini).
	MiniTimelineWidth = 320
	MaxTimelineWidth  = 2400
	actorLanes        = 8
	labelSize         = 12.0
	rowH              = 24.0
	laneHeadH         = 20.0
	eraRowH           = 18.0
	axisH             = 36.0
	aggPlotH          = 140.0
	aggLabelRows      = 5
)

// TimelineInput is what a timeline drawing is made from.
type TimelineInput struct {
	Base     string          // the path the drawing's links lead to, usually "/timeline"
	Filter   timeline.Filter // the filter; its From and To are replaced by Window
	Window   Window
	Width    int    // px; 0 for DefaultTimelineWidth
	Lanes    string // LanesCategory (""), LanesActor or LanesNone
	Mini     bool   // a small drawing: one lane, no navigation; items link to event pages
	Points   []timeline.Point
	Actors   map[int64][]string        // actor slugs per point ID, for LanesActor
	Names    map[string]timeline.Actor // the actors of Actors by slug, for their names
	Buckets  []timeline.Bucket         // set (and Points empty) when the view is too dense
	ByMonth  bool                      // the buckets are months (else years)
	Total    int                       // events in view when aggregated
	Eras     []timeline.Era
	Years    []timeline.YearCount // the whole span of the filter without dates, for the overview strip
	Selected *timeline.Event      // the event whose panel is open, with Backlinks in Incoming
	Incoming []timeline.Relation
	// Loc writes the drawing's words and dates, and its links, in the
	// reader's language (nil: English).
	Loc *locales.Localizer
	// Targets are the events the selected one links to or from, with
	// their dates, so that connectors reach them inside or outside the
	// window.
}

// Timeline is a laid-out drawing.
type Timeline struct {
	In                  TimelineInput
	Width, Height       float64
	Left, Right         float64 // the plot's horizontal extent
	AxisY, PlotTop      float64
	Ticks               []TLTick
	Bands               []TLBand
	Lanes               []TLLane
	Items               []TLItem
	Columns             []TLColumn
	Connectors          []TLConnector
	AggTop, AggBottom   float64
	Aggregated          bool
	Summary             string
	Legend              []TLBand // eras named in the legend (on narrow drawings, or not labelled in full)
	CategoryKey         []TLKey
	ZoomIn, ZoomOut     string
	Earlier, Later, All string
	Close               string // the URL without the selection
	Strip               TLStrip
	Lo, Hi              timeline.Day
}

// TLTick is an axis mark.
type TLTick struct {
	X     float64
	Text  string
	Major bool
}

// TLBand is an era.
type TLBand struct {
	X, W   float64
	Label  string // drawn in the band's label row; may be abbreviated
	Key    string // a number, when the legend names it
	LabelY float64
	Name   string
	Lang   string // the name's language
	When   string
	Href   string
	Slug   string
}

// TLLane is a row group.
type TLLane struct {
	Label string
	Lang  string // the label's language
	Y, H  float64
	Odd   bool
	Count int
}

// TLItem is one event drawn.
type TLItem struct {
	Slug, Href, EventHref string
	Title                 string // the full title
	Lang                  string // the title's language
	Text                  string // the label as drawn, perhaps shortened
	When                  string // the date in words
	Name                  string // the accessible name
	Category              timeline.Category
	Color                 string
	Y                     float64 // the row's top
	Dot                   bool
	X, W                  float64 // the bar (or the dot's centre in X)
	R                     float64
	TextX                 float64
	TextEnd               bool // the label ends at TextX (drawn left of the mark)
	BoxX, BoxW            float64
	ContL, ContR          bool
	Faint, Bold, Selected bool
	Related               string // the relation to the selected event, when it has one
	Sig                   int
	Lo                    timeline.Day // the first day the event may cover, for ordering
}

// TLColumn is one bucket's stacked bar when the view is aggregated.
type TLColumn struct {
	X, W     float64
	Href     string
	Label    string
	Segments []BarSegment
}

// TLConnector is a drawn typed link from the selected event.
type TLConnector struct {
	Path   string
	Label  string
	LX, LY float64
	Out    bool // the target lies outside the window: the label names it
	Href   string
	Anchor string
}

// TLKey is a colour in the category key.
type TLKey struct {
	Label, Color string
}

// TLStrip is the overview strip: the whole span, with the window marked.
type TLStrip struct {
	Width, Height float64
	Bars          []TLStripBar
	WinX, WinW    float64
	Ticks         []TLTick
	First, Last   int
}

// TLStripBar is one year in the overview strip.
type TLStripBar struct {
	X, W, H float64
	Href    string
	Label   string
}

// TimelineURL is the permalink of a timeline view.
func TimelineURL(base string, f timeline.Filter, w Window, lanes, sel string) string {
	g := f
	g.From, g.To = w.From(), w.To()
	if lanes == LanesCategory {
		lanes = ""
	}
	return ListURL(base, g, nil, "lanes", lanes, "sel", sel)
}

func (t *Timeline) url(w Window, sel string) string {
	return t.l().Path(TimelineURL(t.In.Base, t.In.Filter, w, t.In.Lanes, sel))
}

// l is the drawing's localizer.
func (t *Timeline) l() *locales.Localizer {
	if t.In.Loc == nil {
		return locales.For("en")
	}
	return t.In.Loc
}

func (t *Timeline) x(d timeline.Day) float64 {
	return t.Left + float64(dayNum(d)-dayNum(t.Lo))/float64(dayNum(t.Hi)+1-dayNum(t.Lo))*(t.Right-t.Left)
}

func selSlug(e *timeline.Event) string {
	if e == nil {
		return ""
	}
	return e.Slug
}

// NewTimeline lays out a drawing.
func NewTimeline(in TimelineInput) Timeline {
	if in.Width == 0 {
		in.Width = DefaultTimelineWidth
	}
	if in.Base == "" {
		in.Base = "/timeline"
	}
	if in.Lanes == "" {
		in.Lanes = LanesCategory
	}
	if in.Mini {
		in.Lanes = LanesNone
	}
	t := Timeline{In: in, Width: float64(in.Width), Left: 8, Right: float64(in.Width) - 8, Lo: in.Window.Lo(), Hi: in.Window.Hi()}
	t.Aggregated = in.Points == nil && in.Buckets != nil
	sel := selSlug(in.Selected)
	if !in.Mini {
		t.ZoomIn, t.ZoomOut = t.url(in.Window.ZoomIn(), sel), t.url(in.Window.ZoomOut(), sel)
		t.Earlier, t.Later = t.url(in.Window.Earlier(), sel), t.url(in.Window.Later(), sel)
		g := in.Filter
		g.From, g.To = timeline.Date{}, timeline.Date{}
		lanes := in.Lanes
		if lanes == LanesCategory {
			lanes = ""
		}
		t.All = t.l().Path(ListURL(in.Base, g, nil, "lanes", lanes, "sel", sel))
		t.Close = t.url(in.Window, "")
	}
	y := 0.0
	y = t.layoutBands(y)
	t.AxisY = y
	y += axisH
	t.PlotTop = y
	if t.Aggregated {
		y = t.layoutAggregated(y)
	} else {
		y = t.layoutItems(y)
	}
	t.Height = y + 6
	t.layoutTicks()
	t.layoutConnectors()
	t.layoutStrip()
	for _, c := range timeline.Categories {
		t.CategoryKey = append(t.CategoryKey, TLKey{CategoryLabel(t.l(), c), CategoryColors[c]})
	}
	t.Summary = t.summary()
	return t
}

func (t *Timeline) summary() string {
	l := t.l()
	w := t.In.Window.LabelIn(l)
	if t.Aggregated {
		return l.T("tl.summary_agg", l.T("n.events", t.In.Total), w, aggUnit(l, *t))
	}
	lanes := l.T("tl.lanes_category")
	switch t.In.Lanes {
	case LanesActor:
		lanes = l.T("tl.lanes_actor")
	case LanesNone:
		lanes = l.T("tl.lanes_none")
	}
	return l.T("tl.summary", l.T("n.events", len(t.Items)), w, lanes)
}

// layoutBands places the eras that overlap the window and labels them in
// up to three rows; a band too narrow for its name gets a shortened name,
// or a number that the legend explains.
func (t *Timeline) layoutBands(y float64) float64 {
	if t.In.Mini {
		return y
	}
	narrow := t.Width < 600
	rows := [][][2]float64{}
	var order []int
	for _, e := range t.In.Eras {
		a, b := e.Start.Earliest(), e.End.Latest()
		if e.End.IsZero() {
			b = e.Start.Latest()
		}
		if b < t.Lo || a > t.Hi {
			continue
		}
		x0, x1 := t.x(max(a, t.Lo)), t.x(min(b, t.Hi).AddDays(1))
		ew := Covering(max(a, timeline.Date{Year: timeline.MinYear}.Earliest()), b)
		t.Bands = append(t.Bands, TLBand{X: x0, W: x1 - x0, Name: EraName(t.l(), e).Text, Lang: EraName(t.l(), e).Lang, When: t.l().Span(e.Start, e.End), Slug: e.Slug,
			Href: t.l().Path(TimelineURL(t.In.Base, t.In.Filter, ew, t.In.Lanes, selSlug(t.In.Selected)))})
		order = append(order, len(t.Bands)-1)
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(t.Bands[j].W, t.Bands[i].W) })
	key := 0
	for _, i := range order {
		b := &t.Bands[i]
		label := ""
		if !narrow {
			label = FitText(b.Name, 11, b.W-6, false)
			if label != b.Name && len([]rune(label)) < 8 {
				label = "" // too short to read: a number and the legend instead
			}
		}
		if label == "" || label != b.Name {
			key++
			b.Key = strconv.Itoa(key)
			if label == "" {
				label = b.Key
			} else {
				label = b.Key + " " + label
			}
			t.Legend = append(t.Legend, *b)
		}
		w := TextWidth(label, 11, false) + 6
		x := b.X + 3
		if x+w > t.Right {
			x = max(t.Left, t.Right-w)
		}
		placed := false
		for r := range rows {
			free := true
			for _, s := range rows[r] {
				if x < s[1] && s[0] < x+w {
					free = false
					break
				}
			}
			if free {
				rows[r] = append(rows[r], [2]float64{x, x + w})
				b.Label, b.LabelY = label, float64(r)*eraRowH+13
				placed = true
				break
			}
		}
		if !placed {
			rows = append(rows, [][2]float64{{x, x + w}})
			b.Label, b.LabelY = label, float64(len(rows)-1)*eraRowH+13
		}
	}
	// The legend lists the keyed bands in time order.
	slices.SortStableFunc(t.Legend, func(a, b TLBand) int { return cmp.Compare(a.X, b.X) })
	if len(t.Bands) == 0 {
		return y
	}
	return y + float64(max(1, len(rows)))*eraRowH + 4
}

// BandLabelX is where a band's label starts: inside the band, or pulled
// left so that it ends inside the drawing.
func (t Timeline) BandLabelX(b TLBand) float64 {
	w := TextWidth(b.Label, 11, false) + 6
	x := b.X + 3
	if x+w > t.Right {
		x = max(t.Left, t.Right-w)
	}
	return x
}

// layoutTicks marks years, and months or days when there is room.
func (t *Timeline) layoutTicks() {
	pxYear := (t.Right - t.Left) / (float64(dayNum(t.Hi)+1-dayNum(t.Lo)) / 365.25)
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 500} {
		step = s
		if pxYear*float64(s) >= 48 {
			break
		}
	}
	first, last := t.Lo.Date().Year, t.Hi.Date().Year
	for yr := first; yr <= last; yr++ {
		if yr%step != 0 {
			continue
		}
		d := timeline.Day(yr*10000 + 101)
		x := t.x(max(d, t.Lo))
		if x+TextWidth(strconv.Itoa(yr), 12, true)+3 > t.Right {
			continue
		}
		t.Ticks = append(t.Ticks, TLTick{X: x, Text: strconv.Itoa(yr), Major: true})
	}
	pxMonth := pxYear / 12
	if pxMonth < 9 {
		return
	}
	mstep := 1
	switch {
	case pxMonth < 14:
		mstep = 6
	case pxMonth < 30:
		mstep = 3
	}
	lo, hi := monthIndex(t.Lo.Date()), monthIndex(t.Hi.Date())
	for m := lo; m <= hi; m++ {
		d := monthAt(m)
		if d.Month == 1 || (d.Month-1)%mstep != 0 {
			continue
		}
		start := d.Earliest()
		if start < t.Lo {
			continue
		}
		if t.x(start)+TextWidth("May", 11, false)+3 > t.Right {
			continue
		}
		t.Ticks = append(t.Ticks, TLTick{X: t.x(start), Text: monthTick(t.l(), d.Month)})
	}
	if pxMonth/30 >= 4 { // days
		for n := dayNum(t.Lo); n <= dayNum(t.Hi); n++ {
			d := dayAt(n)
			dd := int(d) % 100
			if dd == 1 || (pxMonth/30 < 16 && dd%7 != 1 && dd != 15) || dd > 28 {
				continue
			}
			if pxMonth/30 < 9 && dd != 15 {
				continue
			}
			t.Ticks = append(t.Ticks, TLTick{X: t.x(d), Text: strconv.Itoa(dd)})
		}
	}
}

// eventWords is the date of a point in words.
func eventWords(l *locales.Localizer, p timeline.Point) string {
	return l.Span(p.Start, p.End)
}

// monthTick is a month on the axis: "May", "5月", "5월".
func monthTick(l *locales.Localizer, month int) string {
	if l.Lang == "en" {
		return time.Month(month).String()[:3]
	}
	return l.T("tl.month", month)
}

// layoutItems draws every event with its label, lane by lane, stacking
// items into rows so that no label overlaps another (as vis-timeline does:
// each item goes into the first row where it fits).
func (t *Timeline) layoutItems(y float64) float64 {
	type laneDef struct {
		label string
		lang  string // the label's language, when not the page's (an actor's English name)
		items []timeline.Point
	}
	var lanes []laneDef
	switch t.In.Lanes {
	case LanesNone:
		lanes = []laneDef{{label: "", items: t.In.Points}}
	case LanesActor:
		n := map[string]int{}
		for _, p := range t.In.Points {
			for _, a := range t.In.Actors[p.ID] {
				n[a]++
			}
		}
		var top []string
		for a := range n {
			top = append(top, a)
		}
		slices.SortFunc(top, func(a, b string) int {
			if c := cmp.Compare(n[b], n[a]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		if len(top) > actorLanes {
			top = top[:actorLanes]
		}
		idx := map[string]int{}
		for i, a := range top {
			name := Named{a, t.l().Lang}
			if actor, ok := t.In.Names[a]; ok {
				name = ActorName(t.l(), actor)
			}
			lanes = append(lanes, laneDef{label: name.Text, lang: name.Lang})
			idx[a] = i
		}
		lanes = append(lanes, laneDef{label: t.l().T("tl.other_actors")})
		for _, p := range t.In.Points {
			best := len(top)
			for _, a := range t.In.Actors[p.ID] {
				if i, ok := idx[a]; ok && i < best {
					best = i
				}
			}
			lanes[best].items = append(lanes[best].items, p)
		}
	default:
		by := map[timeline.Category][]timeline.Point{}
		for _, p := range t.In.Points {
			by[p.Category] = append(by[p.Category], p)
		}
		for _, c := range timeline.Categories {
			if len(by[c]) > 0 {
				lanes = append(lanes, laneDef{label: CategoryLabel(t.l(), c), items: by[c]})
			}
		}
	}
	sel := selSlug(t.In.Selected)
	maxLabel := math.Min(480, (t.Right-t.Left)*0.5)
	for li, l := range lanes {
		if len(l.items) == 0 && l.label == t.l().T("tl.other_actors") {
			continue
		}
		top := y
		if l.label != "" {
			y += laneHeadH
		}
		var rows []float64 // the right end of each row
		start := len(t.Items)
		for _, p := range l.items {
			it := t.item(p, maxLabel, sel)
			r := 0
			for r < len(rows) && rows[r]+6 > it.BoxX {
				r++
			}
			if r == len(rows) {
				rows = append(rows, 0)
			}
			rows[r] = it.BoxX + it.BoxW
			it.Y = y + float64(r)*rowH
			t.Items = append(t.Items, it)
		}
		y += float64(max(1, len(rows)))*rowH + 6
		t.Lanes = append(t.Lanes, TLLane{Label: l.label, Lang: cmp.Or(l.lang, t.l().Lang), Y: top, H: y - top, Odd: li%2 == 1, Count: len(t.Items) - start})
	}
	if len(t.Items) == 0 {
		y += rowH
	}
	return y
}

// item lays out one event: a dot for an event known to a day, or too
// short to see; otherwise a bar over the days it may cover. The label goes
// inside the bar when it fits, else beside the mark on the side with room.
func (t *Timeline) item(p timeline.Point, maxLabel float64, sel string) TLItem {
	end := p.Start
	if !p.End.IsZero() {
		end = p.End
	}
	lo, hi := p.Start.Earliest(), end.Latest()
	a, b := t.x(lo), t.x(hi.AddDays(1))
	title := PointTitle(t.l(), p)
	it := TLItem{Slug: p.Slug, Title: title.Text, Lang: title.Lang, When: eventWords(t.l(), p), Category: p.Category, Color: CategoryColors[p.Category],
		Faint: p.Start.Qual|p.End.Qual != 0 || p.Start.Precision() <= timeline.PrecisionYear, Bold: p.Significance == 3, Sig: p.Significance,
		Selected: p.Slug == sel, EventHref: t.l().Path(EventURL(p.Slug)), Lo: p.Start.Earliest()}
	if t.In.Mini {
		it.Href = it.EventHref
	} else {
		it.Href = t.url(t.In.Window, p.Slug)
	}
	it.ContL, it.ContR = lo < t.Lo, hi > t.Hi
	a, b = math.Max(a, t.Left), math.Min(b, t.Right)
	size := labelSize
	gap := 4.0
	if b-a < 8 && !it.ContL && !it.ContR {
		it.Dot, it.R, it.X = true, 3+float64(p.Significance), (a+b)/2
		left, right := it.X-it.R-gap-t.Left, t.Right-(it.X+it.R+gap)
		full := TextWidth(title.Text, size, it.Bold)
		if math.Min(full, maxLabel) <= right || right >= left {
			it.Text = FitText(title.Text, size, math.Min(maxLabel, right), it.Bold)
			it.TextX = it.X + it.R + gap
			it.BoxX, it.BoxW = it.X-it.R, it.R+gap+TextWidth(it.Text, size, it.Bold)
		} else {
			it.Text = FitText(title.Text, size, math.Min(maxLabel, left), it.Bold)
			it.TextX, it.TextEnd = it.X-it.R-gap, true
			tw := TextWidth(it.Text, size, it.Bold)
			it.BoxX, it.BoxW = it.TextX-tw, tw+gap+2*it.R
		}
	} else {
		it.X, it.W = a, math.Max(b-a, 2)
		inset := 6.0
		if it.ContL {
			inset += 8
		}
		room := it.W - inset - 6
		if it.ContR {
			room -= 8
		}
		full := TextWidth(title.Text, size, it.Bold)
		right, left := t.Right-(a+it.W+gap), a-gap-t.Left
		switch {
		case math.Min(full, maxLabel) <= room || (room >= 80 && room >= right && room >= left):
			it.Text = FitText(title.Text, size, math.Min(room, math.Max(maxLabel, room)), it.Bold)
			it.TextX = a + inset
			it.BoxX, it.BoxW = a, it.W
		case math.Min(full, maxLabel) <= right || right >= left:
			it.Text = FitText(title.Text, size, math.Min(maxLabel, right), it.Bold)
			it.TextX = a + it.W + gap
			it.BoxX, it.BoxW = a, it.W+gap+TextWidth(it.Text, size, it.Bold)
		default:
			it.Text = FitText(title.Text, size, math.Min(maxLabel, left), it.Bold)
			it.TextX, it.TextEnd = a-gap, true
			tw := TextWidth(it.Text, size, it.Bold)
			it.BoxX, it.BoxW = a-gap-tw, tw+gap+it.W
		}
	}
	it.Name = t.l().T("tl.item_name", title.Text, it.When, CategoryLabel(t.l(), p.Category))
	if it.ContL {
		it.Name += t.l().T("tl.begins_before")
	}
	if it.ContR {
		it.Name += t.l().T("tl.continues_after")
	}
	return it
}

// layoutAggregated draws a stacked column per month or year, with the
// most significant events labelled above in the rows where they fit.
func (t *Timeline) layoutAggregated(y float64) float64 {
	type col struct {
		start timeline.Day
		n     map[timeline.Category]int
		total int
	}
	var cols []*col
	var tops []timeline.Bucket
	for _, b := range t.In.Buckets {
		if len(cols) == 0 || cols[len(cols)-1].start != b.Start {
			cols = append(cols, &col{start: b.Start, n: map[timeline.Category]int{}})
		}
		c := cols[len(cols)-1]
		c.n[b.Category] += b.N
		c.total += b.N
		tops = append(tops, b)
	}
	// Labels first: the most significant, then the busiest buckets.
	slices.SortStableFunc(tops, func(a, b timeline.Bucket) int {
		if c := cmp.Compare(b.Top.Significance, a.Top.Significance); c != 0 {
			return c
		}
		return cmp.Compare(b.N, a.N)
	})
	rows := make([][][2]float64, aggLabelRows)
	maxLabel := math.Min(260, (t.Right-t.Left)*0.4)
	sel := selSlug(t.In.Selected)
	seen := map[int64]bool{}
	for _, b := range tops {
		if b.Top.Slug == "" || seen[b.Top.ID] {
			continue
		}
		it := t.item(b.Top, maxLabel, sel)
		for r := range rows {
			free := true
			for _, s := range rows[r] {
				if it.BoxX < s[1]+6 && s[0] < it.BoxX+it.BoxW+6 {
					free = false
					break
				}
			}
			if free {
				rows[r] = append(rows[r], [2]float64{it.BoxX, it.BoxX + it.BoxW})
				it.Y = y + float64(r)*rowH
				t.Items = append(t.Items, it)
				seen[b.Top.ID] = true
				break
			}
		}
	}
	used := 0
	for r := range rows {
		if len(rows[r]) > 0 {
			used = r + 1
		}
	}
	// Rows were filled top-down; draw the labels in time order.
	slices.SortStableFunc(t.Items, func(a, b TLItem) int { return cmp.Compare(a.X, b.X) })
	y += float64(used)*rowH + 8
	t.AggTop, t.AggBottom = y, y+aggPlotH
	maxN := 1
	for _, c := range cols {
		maxN = max(maxN, c.total)
	}
	scale := aggPlotH / float64(maxN)
	for _, c := range cols {
		var end timeline.Day
		var label string
		var zoom Window
		d := c.start.Date()
		if t.In.ByMonth {
			m := timeline.Date{Year: d.Year, Month: d.Month}
			end, label = m.Latest(), t.l().Date(m)
			zoom = Window{UnitMonth, m, 1}
		} else {
			yr := timeline.Date{Year: d.Year}
			end, label = yr.Latest(), t.l().Date(yr)
			zoom = Window{UnitYear, yr, 1}
		}
		a, b := t.x(max(c.start, t.Lo)), t.x(min(end, t.Hi).AddDays(1))
		w := math.Max(b-a-1, 1)
		cl := TLColumn{X: a, W: w, Href: t.url(zoom, "")}
		top := t.AggBottom
		var parts []string
		for _, cat := range timeline.Categories {
			k := c.n[cat]
			if k == 0 {
				continue
			}
			h := float64(k) * scale
			top -= h
			cl.Segments = append(cl.Segments, BarSegment{Y: top, H: h, Color: CategoryColors[cat]})
			parts = append(parts, t.l().T("overview.bar_part", CategoryLabel(t.l(), cat), k))
		}
		cl.Label = t.l().T("overview.bar", label, t.l().T("n.events", c.total), strings.Join(parts, t.l().T("list.comma")))
		t.Columns = append(t.Columns, cl)
	}
	return t.AggBottom + 4
}

// linkRowH is the height of a row of connector labels above the lanes.
const linkRowH = 16.0

// box is a rectangle of the drawing, for keeping texts apart.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) hits(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// linkLabelBox is the box of a connector label (11 px, semi-bold) whose
// baseline is at y, starting at x.
func linkLabelBox(x, y, w float64) box { return box{x - 2, y - 12, x + w + 2, y + 4} }

// layoutConnectors draws the selected event's typed links: a curve to a
// target drawn in the window, or an arrow to the edge with the target
// named beside it when the target lies outside. No label covers another
// text: a curve's label goes where it touches no event and no other label,
// or else into a row of its own above the lanes, with the names of the
// targets outside the window; every label is fitted to the drawing.
func (t *Timeline) layoutConnectors() {
	s := t.In.Selected
	if s == nil {
		return
	}
	type link struct {
		r    timeline.Relation
		verb string
	}
	var links []link
	seen := map[string]bool{s.Slug: true}
	for _, r := range s.Related {
		if !seen[r.Slug] {
			seen[r.Slug] = true
			links = append(links, link{r, RelationVerb(t.l(), r.Relation, false)})
		}
	}
	for _, r := range t.In.Incoming {
		if !seen[r.Slug] {
			seen[r.Slug] = true
			links = append(links, link{r, RelationVerb(t.l(), r.Relation, true)})
		}
	}
	if len(links) == 0 {
		return
	}
	si := slices.IndexFunc(t.Items, func(it TLItem) bool { return it.Slug == s.Slug })
	// Where each connector starts and ends.
	anchorOf := func(it TLItem) (float64, float64) {
		if it.Dot {
			return it.X, it.Y + rowH/2
		}
		return it.X + math.Min(it.W, 12), it.Y + rowH/2
	}
	source := func() (float64, float64) {
		if si >= 0 {
			return anchorOf(t.Items[si])
		}
		// The selected event is not drawn (aggregated or filtered out):
		// connectors start from its date on the axis.
		return t.x(max(t.Lo, min(t.Hi, s.Start.Earliest()))), t.AxisY + axisH - 4
	}
	// What a label may not cover: every event's mark and label, the lanes'
	// names, and the counts when aggregated.
	var taken []box
	for _, it := range t.Items {
		taken = append(taken, box{it.BoxX - 2, it.Y + 1, it.BoxX + it.BoxW + 2, it.Y + rowH - 1})
	}
	for _, l := range t.Lanes {
		if l.Label != "" {
			taken = append(taken, box{t.Left, l.Y, t.Left + 12 + TextWidth(strings.ToUpper(l.Label), 11, true)*1.1, l.Y + laneHeadH})
		}
	}
	if t.Aggregated {
		taken = append(taken, box{t.Left, t.AggTop, t.Right, t.AggBottom})
	}
	type placed struct {
		l      link
		ti     int     // the target's item, or -1 outside the window
		lx, ly float64 // a curve's label, before any rows are added
		row    int     // a row above the lanes, or -1
		text   string
		anchor string
		before bool
		tw     float64
	}
	var out []placed
	rows := 0
	sx, sy := source()
	for _, l := range links {
		ti := slices.IndexFunc(t.Items, func(it TLItem) bool { return it.Slug == l.r.Slug })
		p := placed{l: l, ti: ti, row: -1}
		if ti >= 0 {
			t.Items[ti].Related = l.verb
			tx, ty := anchorOf(t.Items[ti])
			p.text = l.verb
			p.tw = TextWidth(p.text, 11, true)
			cy := math.Min(sy, ty) - math.Min(60, math.Abs(tx-sx)/3+16)
			found := false
			for _, u := range []float64{0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8} {
				// The curve's point at u, the label centred above it.
				bx := (1-u)*(1-u)*(1-u)*sx + 3*(1-u)*(1-u)*u*sx + 3*(1-u)*u*u*tx + u*u*u*tx
				by := (1-u)*(1-u)*(1-u)*sy + 3*(1-u)*(1-u)*u*cy + 3*(1-u)*u*u*cy + u*u*u*ty
				x := math.Max(t.Left+2, math.Min(bx-p.tw/2, t.Right-2-p.tw))
				y := by - 3
				b := linkLabelBox(x, y, p.tw)
				if b.y0 < t.PlotTop || b.y1 > t.Height-4 || slices.ContainsFunc(taken, b.hits) {
					continue
				}
				taken = append(taken, b)
				p.lx, p.ly, p.anchor, found = x, y, "start", true
				break
			}
			if !found {
				p.text = l.verb + t.l().T("event.colon") + RelationTitle(t.l(), l.r).Text
				p.row = rows
				rows++
			}
		} else {
			end := l.r.Start
			if !l.r.End.IsZero() {
				end = l.r.End
			}
			p.before = end.Latest() < t.Lo
			p.text = l.verb + t.l().T("event.colon") + RelationTitle(t.l(), l.r).Text
			p.row = rows
			rows++
		}
		out = append(out, p)
	}
	// Rows of labels above the lanes: everything below moves down.
	if rows > 0 {
		t.shiftDown(t.PlotTop, float64(rows)*linkRowH+4)
		sx, sy = source()
	}
	for _, p := range out {
		if p.ti >= 0 && p.row < 0 {
			tx, ty := anchorOf(t.Items[p.ti])
			dy := 0.0
			if rows > 0 {
				dy = float64(rows)*linkRowH + 4
			}
			cy := math.Min(sy, ty) - math.Min(60, math.Abs(tx-sx)/3+16)
			t.Connectors = append(t.Connectors, TLConnector{
				Path:  fmt.Sprintf("M%s %s C%s %s %s %s %s %s", F(sx), F(sy), F(sx), F(cy), F(tx), F(cy), F(tx), F(ty)),
				Label: p.text, LX: p.lx, LY: p.ly + dy, Anchor: "start",
			})
			continue
		}
		ly := t.PlotTop + 12 + float64(p.row)*linkRowH
		if p.ti >= 0 {
			// A curve whose label found no room near it: the label names
			// the target in a row above, over the target.
			tx, ty := anchorOf(t.Items[p.ti])
			text := fitLinkLabel(p.text, "", t.Right-t.Left-4)
			w := TextWidth(text, 11, true)
			x := math.Max(t.Left+2, math.Min(tx-w/2, t.Right-2-w))
			cy := math.Min(sy, ty) - math.Min(60, math.Abs(tx-sx)/3+16)
			t.Connectors = append(t.Connectors, TLConnector{
				Path:  fmt.Sprintf("M%s %s C%s %s %s %s %s %s M%s %s L%s %s", F(sx), F(sy), F(sx), F(cy), F(tx), F(cy), F(tx), F(ty), F(tx), F(ly+4), F(tx), F(ty-6)),
				Label: text, LX: x, LY: ly, Anchor: "start",
			})
			continue
		}
		l := p.l
		// The arrow reaches the edge of the drawing; its label, beside the
		// arrow's end, is fitted to the drawing's width.
		text := fitLinkLabel(p.text, " "+Paren(t.l(), t.l().Span(l.r.Start, l.r.End)), t.Right-t.Left-24)
		ex, lx, anchor := t.Right-2, t.Right-12, "end"
		if p.before {
			ex, lx, anchor = t.Left+2, t.Left+12, "start"
		}
		target := around(dayNum(l.r.Start.Earliest()), t.In.Window.Days())
		t.Connectors = append(t.Connectors, TLConnector{
			Path:  fmt.Sprintf("M%s %s C%s %s %s %s %s %s", F(sx), F(sy), F((sx+ex)/2), F(sy), F((sx+ex)/2), F(ly-4), F(ex), F(ly-4)),
			Label: text, LX: lx, LY: ly, Out: true, Anchor: anchor, Href: t.url(target, l.r.Slug),
		})
	}
}

// fitLinkLabel shortens "verb: title" to room px at the connector labels'
// size, keeping suffix (the target's date) when the title keeps at least
// 80 px beside it.
func fitLinkLabel(text, suffix string, room float64) string {
	if sw := TextWidth(suffix, 11, true); suffix != "" && room-sw >= 80+TextWidth(text[:strings.Index(text, ": ")+2], 11, true) {
		return FitText(text, 11, math.Min(room-sw, 300), true) + suffix
	}
	return FitText(text, 11, math.Min(room, 300), true)
}

// shiftDown moves everything drawn from y down by dy, making room above.
func (t *Timeline) shiftDown(y, dy float64) {
	for i := range t.Items {
		if t.Items[i].Y >= y {
			t.Items[i].Y += dy
		}
	}
	for i := range t.Lanes {
		if t.Lanes[i].Y >= y {
			t.Lanes[i].Y += dy
		}
	}
	if t.Aggregated {
		t.AggTop += dy
		t.AggBottom += dy
		for i := range t.Columns {
			for j := range t.Columns[i].Segments {
				t.Columns[i].Segments[j].Y += dy
			}
		}
	}
	t.Height += dy
}

// layoutStrip draws the overview: one bar per year of the whole span,
// with the window marked; each bar moves the window to its year.
func (t *Timeline) layoutStrip() {
	if t.In.Mini || len(t.In.Years) == 0 {
		return
	}
	s := TLStrip{Width: t.Width, Height: 44}
	first, last := t.In.Years[0].Year, t.In.Years[len(t.In.Years)-1].Year
	first, last = min(first, t.Lo.Date().Year), max(last, t.Hi.Date().Year)
	s.First, s.Last = first, last
	n := float64(last - first + 1)
	slot := (t.Width - 16) / n
	maxN := 1
	for _, y := range t.In.Years {
		maxN = max(maxN, y.Total)
	}
	for _, y := range t.In.Years {
		h := math.Max(2, 26*math.Sqrt(float64(y.Total)/float64(maxN)))
		s.Bars = append(s.Bars, TLStripBar{X: 8 + float64(y.Year-first)*slot, W: math.Max(slot-0.5, 0.8), H: h,
			Href: t.url(t.In.Window.CenteredOn(y.Year), selSlug(t.In.Selected)), Label: t.l().T("tl.strip_bar", Year(t.l(), y.Year), t.l().T("n.events", y.Total))})
	}
	fy := func(d timeline.Day) float64 {
		return 8 + (float64(dayNum(d)-dayNum(timeline.Day(first*10000+101)))/365.25)*slot
	}
	s.WinX = fy(t.Lo)
	s.WinW = math.Max(fy(t.Hi.AddDays(1))-s.WinX, 3)
	step := tickStep(last - first + 1)
	for y := first; y <= last; y++ {
		if y%step == 0 {
			s.Ticks = append(s.Ticks, TLTick{X: 8 + float64(y-first)*slot, Text: strconv.Itoa(y)})
		}
	}
	t.Strip = s
}

func aggUnit(l *locales.Localizer, t Timeline) string {
	if t.In.ByMonth {
		return l.T("precision.month")
	}
	return l.T("precision.year")
}

func anchor(end bool) string {
	if end {
		return "end"
	}
	return "start"
}

// contPath is a small arrowhead at (x, y) pointing left (dir -1) or right
// (dir 1): the event continues past the edge of the window.
func contPath(x, y, dir float64) string {
	return fmt.Sprintf("M%s %sL%s %sL%s %sz", F(x), F(y), F(x-dir*6), F(y-5), F(x-dir*6), F(y+5))
}

// ListItems are the drawn events in time order, for the text alternative.
func (t Timeline) ListItems() []TLItem {
	out := slices.Clone(t.Items)
	slices.SortStableFunc(out, func(a, b TLItem) int { return cmp.Compare(a.Lo, b.Lo) })
	return out
}
