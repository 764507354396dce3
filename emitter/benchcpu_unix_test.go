//go:build unix

package emitter

import "syscall"

// cpuNanos is the CPU time (user and system, all threads) the process has
// used. On a shared machine it varies far less with the load than wall
// time, so benchcmp compares it too.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
