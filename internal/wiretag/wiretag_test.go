package wiretag

import "testing"

func TestParse(t *testing.T) {
	tg, err := Parse("Speed,required,min=-500,max=500,maxbytes=15,json,ms,datetime")
	if err != nil {
		t.Fatal(err)
	}
	if tg.Wire != "Speed" || !tg.Required || !tg.JSON || !tg.Millis || !tg.DateTime ||
		tg.Min == nil || *tg.Min != -500 || tg.Max == nil || *tg.Max != 500 || tg.MaxBytes != 15 {
		t.Fatalf("Parse = %+v", tg)
	}
	plain, err := Parse("OutId")
	if err != nil || plain.Wire != "OutId" || plain.Required || plain.Min != nil || plain.MaxBytes != 0 {
		t.Fatalf("Parse(OutId) = %+v, %v", plain, err)
	}
	for _, bad := range []string{"", ",required", "X,min=a", "X,maxbytes=0", "X,maxbytes=x", "X,optional"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestParseEnum(t *testing.T) {
	tg, err := Parse("Active,enum=1|0|-1")
	if err != nil || len(tg.Enum) != 3 || tg.Enum[0] != "1" || tg.Enum[2] != "-1" {
		t.Fatalf("%+v %v", tg, err)
	}
	if _, err := Parse("Active,enum="); err == nil {
		t.Fatal("an empty enum is accepted")
	}
}
