package dyvmstest

import "strings"

// virtualNumberHandlers are the virtual-number relations.
var virtualNumberHandlers = map[string]handler{
	"AddVirtualNumberRelation":   addVirtualNumberRelation,
	"QueryVirtualNumberRelation": queryVirtualNumberRelation,
}

// addVirtualNumberRelation relates each of NumberList to PhoneNum; Data
// lists the numbers already related.
func addVirtualNumberRelation(x *exchange) *apiError {
	p, st := x.p, x.st
	var failed []string
	for _, n := range splitList(p.Get("NumberList")) {
		if st.related(p.Get("PhoneNum"), n) {
			failed = append(failed, n)
			continue
		}
		st.relations = append(st.relations, relation{phoneNum: p.Get("PhoneNum"), relatedNum: n,
			prodCode: p.Get("ProdCode"), corpName: p.Get("CorpNameList"), routeType: p.Get("RouteType"), created: x.now})
	}
	x.body["Data"] = strings.Join(failed, ",")
	return nil
}

// queryVirtualNumberRelation lists the relations, filtered and paged, as
// JSON in Data.
func queryVirtualNumberRelation(x *exchange) *apiError {
	p := x.p
	var items []any
	for _, r := range x.st.relations {
		if !match(p, "PhoneNum", r.phoneNum) || !match(p, "RelatedNum", r.relatedNum) ||
			!match(p, "ProdCode", r.prodCode) || !match(p, "RouteType", r.routeType) {
			continue
		}
		items = append(items, map[string]any{"phoneNum": r.phoneNum, "relatedNum": r.relatedNum,
			"createTime": r.created.In(cst).Format(localLayout)})
	}
	page, size, total := paginate(p, "PageNo", "PageSize", 20, &items)
	if items == nil {
		items = []any{}
	}
	x.body["Data"] = string(marshalJSON(map[string]any{"data": items, "pageNo": page, "pageSize": size, "total": total}))
	return nil
}
