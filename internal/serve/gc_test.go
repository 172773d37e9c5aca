package serve

import "testing"

func TestCollectLessOftenUnlessGOGCIsSet(t *testing.T) {
	for _, tc := range []struct {
		gogc string
		want []int
	}{{"", []int{gcPercent}}, {"100", nil}, {"off", nil}} {
		var set []int
		collectLessOften(func(k string) string {
			if k == "GOGC" {
				return tc.gogc
			}
			return ""
		}, func(p int) int { set = append(set, p); return 100 })
		if len(set) != len(tc.want) || len(set) == 1 && set[0] != tc.want[0] {
			t.Errorf("GOGC=%q: set %v, want %v", tc.gogc, set, tc.want)
		}
	}
}
