//go:build !unix

package main

import "os"

// peakRSS is unknown where the OS reports no rusage.
func peakRSS(*os.ProcessState) int64 { return 0 }
