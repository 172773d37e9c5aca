package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// latencyColors: one colour per latency, in the order of -latency.
var latencyColors = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // blue
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // red
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // green
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, // purple
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // orange
	color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff}, // brown
}

// plot draws plot.png: wall time vs N and API calls vs N, side by side, for
// apply and plan; measured solid, floor dashed; one colour per latency.
func (b *bench) plot(path string) error {
	wall := b.panel("Wall time vs N", "wall time (s)", func(r Run) (float64, float64, bool) {
		if r.FloorWallS == nil {
			return 0, 0, false
		}
		return r.WallS, *r.FloorWallS, true
	})
	calls := b.panel("API calls vs N", "API calls", func(r Run) (float64, float64, bool) {
		if r.FloorCalls == nil {
			return 0, 0, false
		}
		return float64(r.Calls), float64(*r.FloorCalls), true
	})
	sub := fmt.Sprintf("%s, parallelism %d, N/3 each of domains, operators, assignments\nsolid: measured, dashed: floor",
		b.cliVersion, b.opts.parallelism)
	wall.Title.Text += "\n" + sub
	calls.Title.Text += "\n" + sub + " (the same for every latency: the lines coincide)"

	const width, height = 13 * vg.Inch, 5.5 * vg.Inch
	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(120), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Points(24), PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(12)}
	wall.Draw(tiles.At(dc, 0, 0))
	calls.Draw(tiles.At(dc, 1, 0))

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// panel is one log-log plot; value gives a run's measured and floor values.
func (b *bench) panel(title, ylabel string, value func(Run) (measured, floor float64, ok bool)) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	// Short: gonum centres the label at the arithmetic middle of the range,
	// which on a log axis pushes a long label, and the plot, to the left.
	p.X.Label.Text = "N (resources)"
	p.Y.Label.Text = ylabel
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.Add(plotter.NewGrid())
	// Bottom right is empty on log-log axes of quantities growing with N.
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(4), vg.Points(4)
	p.Legend.ThumbnailWidth = vg.Points(36)
	p.Legend.TextStyle.Font.Size = vg.Points(10)

	lo, hi := math.Inf(1), math.Inf(-1)
	for li, lat := range b.opts.latencies {
		clr := latencyColors[li%len(latencyColors)]
		// Later latencies are drawn thinner on top, so that lines that
		// coincide (calls) still show every colour.
		width := vg.Points(3.2 - 1.2*float64(li%3))
		for _, cmd := range []string{"apply", "plan"} {
			var meas, floor plotter.XYs
			for _, r := range b.runs {
				if r.Command != cmd || r.Latency != latencyLabel(lat) || r.limited() || !r.ours() {
					continue
				}
				m, f, ok := value(r)
				if !ok || m <= 0 || f <= 0 {
					continue
				}
				meas = append(meas, plotter.XY{X: float64(r.N), Y: m})
				floor = append(floor, plotter.XY{X: float64(r.N), Y: f})
				lo, hi = min(lo, m, f), max(hi, m, f)
			}
			if len(meas) == 0 {
				continue
			}
			addSeries(p, cmd, latencyLabel(lat), meas, floor, clr, width)
		}
	}
	if !math.IsInf(lo, 0) {
		p.Y.Min, p.Y.Max = lo/1.6, hi*1.4
	} else {
		p.Y.Min, p.Y.Max = 0.1, 10
	}
	p.Y.Tick.Marker = ticks125{}
	ns := slices.Clone(b.opts.ns)
	p.X.Min, p.X.Max = float64(ns[0])/1.4, float64(ns[len(ns)-1])*1.4
	var xt plot.ConstantTicks
	for _, n := range ns {
		xt = append(xt, plot.Tick{Value: float64(n), Label: strconv.Itoa(n)})
	}
	p.X.Tick.Marker = xt
	return p
}

// addSeries draws one command's measured line (solid, round or triangular
// points) and its floor (dashed, crosses) in the latency's colour.
func addSeries(p *plot.Plot, cmd, latency string, meas, floor plotter.XYs, clr color.Color, width vg.Length) {
	glyph := draw.GlyphDrawer(draw.CircleGlyph{})
	if cmd == "plan" {
		glyph = draw.TriangleGlyph{}
	}
	for _, s := range []struct {
		xys    plotter.XYs
		dashed bool
		label  string
	}{
		{meas, false, fmt.Sprintf("%s, latency %s", cmd, latency)},
		{floor, true, fmt.Sprintf("%s floor, latency %s", cmd, latency)},
	} {
		line, points, err := plotter.NewLinePoints(s.xys)
		if err != nil {
			continue
		}
		line.Color, line.Width = clr, width
		points.Shape, points.Color, points.Radius = glyph, clr, vg.Points(3.5)
		if s.dashed {
			line.Dashes = []vg.Length{vg.Points(7), vg.Points(4)}
			points.Shape = draw.CrossGlyph{}
		}
		p.Add(line, points)
		p.Legend.Add(s.label, line, points)
	}
}

// ticks125 labels 1, 2, 5 × 10^k on a log axis, with unlabelled minor ticks
// at the other integers × 10^k.
type ticks125 struct{}

func (ticks125) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		base := math.Pow(10, e)
		for m := 1; m < 10; m++ {
			v := float64(m) * base
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ts = append(ts, t)
		}
	}
	return ts
}
