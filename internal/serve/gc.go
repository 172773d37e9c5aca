package serve

// gcPercent is the provider process's GOGC when the user sets none. Its live
// heap is a few MB (schemas, the client, the requests in flight) while each
// request allocates tens of KB in the framework, so at Go's default of 100
// the collector runs every few MB allocated: dozens of times in a command
// over 1000 resources, each cycle scanning the globals and every goroutine's
// stack, with the idle core lent to mark workers. At 200 it runs half as
// often, for a few MB more of peak memory (bench/README.md, "Where the
// provider's CPU goes").
const gcPercent = 200

// collectLessOften sets the collector's target to gcPercent unless the user
// chose one with GOGC, which the Go runtime has then applied.
func collectLessOften(getenv func(string) string, setGCPercent func(int) int) {
	if getenv("GOGC") == "" {
		setGCPercent(gcPercent)
	}
}
