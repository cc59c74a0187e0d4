package draft

import "testing"

func TestArabicDates(t *testing.T) {
	for in, want := range map[string]string{"二〇〇四年三月十五日": "2004年3月15日", "二〇二六年十一月二十日": "2026年11月20日",
		"二○一九年十月一日": "2019年10月1日", "2026年11月20日": "2026年11月20日", "二〇二〇年十二月三十一日": "2020年12月31日"} {
		if got := arabic(in); got != want {
			t.Errorf("arabic(%s) = %s, want %s", in, got, want)
		}
	}
}
