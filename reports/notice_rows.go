package reports

import (
	"fmt"
	"strconv"
	"strings"
)

// Sheets are the notice as a workbook: the scorecards, the veto items,
// the problems with their examples, the unit ranking.
func (n Notice) Sheets() []Sheet {
	scores := [][]string{{"巡检对象", "类型", "预估得分", "健康指数", "单项否决", "临界预警", "需人工评估分值"}}
	vetoes := [][]string{{"巡检对象", "否决项", "状态", "依据"}}
	for _, sc := range n.Scores {
		failed, risk := sc.VetoNames(VetoFailed), sc.VetoNames(VetoRisk)
		scores = append(scores, []string{sc.Target, kindLabel(sc.Kind), fmt.Sprintf("%.1f", sc.Score), strconv.Itoa(sc.Health),
			strings.Join(failed, "、"), strings.Join(risk, "、"), fmt.Sprintf("%.0f", sc.Manual)})
		for _, v := range sc.Vetoes {
			vetoes = append(vetoes, []string{sc.Target, v.Name, v.State.Label(), v.Evidence})
		}
	}
	problems := [][]string{{"问题类别", "未解决数", "责任单位", "巡检对象", "页面标题", "网址", "问题内容", "首次发现"}}
	for _, p := range n.Problems {
		for _, e := range p.Examples {
			problems = append(problems, []string{p.Category.Label(), strconv.Itoa(p.Count), e.Unit, e.Target, e.Title, e.URL, e.Evidence,
				e.FirstSeen.In(n.Date.Location()).Format("2006-01-02")})
		}
	}
	sheets := []Sheet{{"考评预估", scores}, {"单项否决", vetoes}, {"存在问题", problems}, {"单位排名", RankingRows(n.Units)}}
	for _, sh := range sheets {
		for _, row := range sh.Rows[1:] {
			for i := range row {
				row[i] = CellSafe(row[i])
			}
		}
	}
	return sheets
}

// RankingRows are the unit ranking as rows, header first.
func RankingRows(units []UnitRank) [][]string {
	rows := [][]string{{"排名", "责任单位", "未解决", "逾期", "本期发现", "本期整改", "整改率", "整改用时中位数（天）", "否决类问题", "本期变化"}}
	for _, u := range units {
		median := "—"
		if u.MedianDays > 0 {
			median = fmt.Sprintf("%.1f", u.MedianDays)
		}
		rate := "—"
		if u.HasFixRate() {
			rate = fmt.Sprintf("%.0f%%", 100*u.FixRate)
		}
		rows = append(rows, []string{strconv.Itoa(u.Rank), u.Unit, strconv.Itoa(u.Open), strconv.Itoa(u.Overdue), strconv.Itoa(u.Found),
			strconv.Itoa(u.Fixed), rate, median, strconv.Itoa(u.Vetoes), u.Change()})
	}
	return rows
}

// VetoNames are the names of the veto items in state s.
func (sc Scorecard) VetoNames(s VetoState) []string {
	var out []string
	for _, v := range sc.Vetoes {
		if v.State == s {
			out = append(out, v.Name)
		}
	}
	return out
}
