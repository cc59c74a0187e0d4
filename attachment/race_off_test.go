//go:build !race

package attachment

const raceEnabled = false
