//go:build tools

// Package runsc pins the gVisor release that `stepbox setup` builds: go.mod names the version and
// go.sum checks every module it is built from. The build tag keeps this file out of every build.
package runsc

import _ "gvisor.dev/gvisor/runsc"
