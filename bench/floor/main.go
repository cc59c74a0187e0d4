// Command floor is the benchmark's baseline: the least work that visits the
// same site — GET every internal URL once with N connections, find links with
// a regular expression, no parsing, no checks, no database. xunjian's time
// over floor's, measured in the same run, is what its checks cost.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sync"
	"time"
)

var href = regexp.MustCompile(`href="([^"#]+)"`)

func main() {
	conns := flag.Int("c", 10, "connections")
	flag.Parse()
	start, err := url.Parse(flag.Arg(0))
	if err != nil || start.Host == "" {
		log.Fatal("usage: floor [-c N] URL")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conns}, Timeout: 15 * time.Second}
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		seen    = map[string]bool{start.String(): true}
		queue   = []string{start.String()}
		active  int
		fetched int
	)
	t0 := time.Now()
	var wg sync.WaitGroup
	for range *conns {
		wg.Go(func() {
			for {
				mu.Lock()
				for len(queue) == 0 && active > 0 {
					cond.Wait()
				}
				if len(queue) == 0 {
					cond.Broadcast()
					mu.Unlock()
					return
				}
				u := queue[0]
				queue = queue[1:]
				active++
				mu.Unlock()

				var links []string
				if resp, err := client.Get(u); err == nil {
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					base, _ := url.Parse(u)
					for _, m := range href.FindAllSubmatch(body, -1) {
						if l, err := base.Parse(string(m[1])); err == nil && l.Host == start.Host {
							links = append(links, l.String())
						}
					}
				}
				mu.Lock()
				fetched++
				for _, l := range links {
					if !seen[l] {
						seen[l] = true
						queue = append(queue, l)
					}
				}
				active--
				cond.Broadcast()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	fmt.Fprintf(os.Stdout, "页面 %d 个 in %s\n", fetched, time.Since(t0).Round(time.Millisecond))
}
