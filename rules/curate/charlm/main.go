// Command charlm trains the typo detector's character model (rules/charlm.bin)
// from clean official prose:
//
//	go run ./rules/curate/charlm -o rules/charlm.bin CORPUS.txt...
//
// The corpus used for the embedded model is described in rules/SOURCES.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/xunjian/xunjian/rules"
)

func main() {
	out := flag.String("o", "charlm.bin", "where to write the model")
	minChar := flag.Int("min-char", 3, "keep characters seen at least this often")
	minTri := flag.Int("min-tri", 2, "keep triples seen at least this often")
	minQuad := flag.Int("min-quad", 3, "keep runs of four seen at least this often")
	flag.Parse()
	var readers []io.Reader
	for _, name := range flag.Args() {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		defer f.Close()
		readers = append(readers, f, newline{})
	}
	m, err := rules.TrainCharLM(io.MultiReader(readers...), *minChar, *minTri, *minQuad)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	n, err := m.WriteTo(f)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %s, %d bytes\n", *out, m.Stats(), n)
}

// newline separates two corpus files.
type newline struct{}

func (newline) Read(p []byte) (int, error) { return copy(p, "\n"), io.EOF }
