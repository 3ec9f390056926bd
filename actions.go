package dyvms

// actionClass says what a failed call may have done, which decides whether
// it can be sent again.
type actionClass uint8

const (
	// readOnly Actions (Query*, List*, Get*, Describe*) change nothing; any
	// transient failure may be retried.
	readOnly actionClass = iota + 1
	// mutating Actions place calls or change state; a failure after the
	// request may have reached the server is ambiguous.
	mutating
)

// actionInfo is what the client knows of one Action.
type actionInfo struct {
	// successCode is the Code of a success: "OK" for most Actions, "200"
	// for the call-task, virtual-number and MQTT Actions, "" where no
	// source says (then "OK" and "200" are both accepted).
	successCode string
	class       actionClass
	// userQPS and apiQPS are the documented per-user and per-API limits in
	// calls per second; 0 where none is documented.
	userQPS, apiQPS int
	// placesCall marks the Actions that place a call and take an OutId:
	// the client always sends one, generating it when the request has none.
	placesCall bool
}

// actionTable classifies all 61 Actions of Dyvmsapi 2017-05-25. It is held
// to the catalogue by a test.
var actionTable = map[string]actionInfo{
	"AddRtcAccount":                   {successCode: "OK", class: mutating, userQPS: 100, apiQPS: 500},
	"AddVirtualNumberRelation":        {successCode: "200", class: mutating, userQPS: 0, apiQPS: 0},
	"BatchRobotSmartCall":             {successCode: "OK", class: mutating, userQPS: 0, apiQPS: 0},
	"BindNumberAndVoipId":             {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"CancelCall":                      {successCode: "OK", class: mutating, userQPS: 0, apiQPS: 0},
	"CancelOrderRobotTask":            {successCode: "OK", class: mutating, userQPS: 100, apiQPS: 500},
	"CancelRobotTask":                 {successCode: "OK", class: mutating, userQPS: 1000, apiQPS: 500},
	"ClickToDial":                     {successCode: "OK", class: mutating, userQPS: 0, apiQPS: 0, placesCall: true},
	"CloseSipAccount":                 {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"CreateCallTask":                  {successCode: "200", class: mutating, userQPS: 100, apiQPS: 500},
	"CreateRobotTask":                 {successCode: "OK", class: mutating, userQPS: 0, apiQPS: 0},
	"CreateSipAccount":                {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"DeleteRobotTask":                 {successCode: "OK", class: mutating, userQPS: 100, apiQPS: 500},
	"DescribeRecordData":              {successCode: "", class: readOnly, userQPS: 0, apiQPS: 0},
	"DoRtcNumberAuth":                 {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"DoubleCallSeat":                  {successCode: "", class: mutating, userQPS: 0, apiQPS: 0, placesCall: true},
	"ExecuteCallTask":                 {successCode: "200", class: mutating, userQPS: 100, apiQPS: 500},
	"GetCallInfo":                     {successCode: "OK", class: readOnly, userQPS: 100, apiQPS: 500},
	"GetHotlineQualificationByOrder":  {successCode: "OK", class: readOnly, userQPS: 1000, apiQPS: 500},
	"GetMqttToken":                    {successCode: "200", class: readOnly, userQPS: 100, apiQPS: 0},
	"GetRtcToken":                     {successCode: "OK", class: readOnly, userQPS: 5000, apiQPS: 1000},
	"GetToken":                        {successCode: "OK", class: readOnly, userQPS: 20, apiQPS: 100},
	"IvrCall":                         {successCode: "OK", class: mutating, userQPS: 1000, apiQPS: 500, placesCall: true},
	"ListCallTask":                    {successCode: "200", class: readOnly, userQPS: 1000, apiQPS: 500},
	"ListCallTaskDetail":              {successCode: "OK", class: readOnly, userQPS: 1000, apiQPS: 500},
	"ListHotlineTransferNumber":       {successCode: "OK", class: readOnly, userQPS: 1000, apiQPS: 500},
	"ListHotlineTransferRegisterFile": {successCode: "OK", class: readOnly, userQPS: 1000, apiQPS: 500},
	"ListOrderedNumbers":              {successCode: "", class: readOnly, userQPS: 0, apiQPS: 0},
	"ListOutboundStrategies":          {successCode: "", class: readOnly, userQPS: 0, apiQPS: 0},
	"ListRobotTaskCalls":              {successCode: "", class: readOnly, userQPS: 0, apiQPS: 0},
	"QueryCallDetailByCallId":         {successCode: "OK", class: readOnly, userQPS: 100, apiQPS: 500},
	"QueryCallDetailByTaskId":         {successCode: "OK", class: readOnly, userQPS: 0, apiQPS: 0},
	"QueryCallInPoolTransferConfig":   {successCode: "OK", class: readOnly, userQPS: 1000, apiQPS: 500},
	"QueryCallInTransferRecord":       {successCode: "OK", class: readOnly, userQPS: 100, apiQPS: 500},
	"QueryRobotInfoList":              {successCode: "OK", class: readOnly, userQPS: 0, apiQPS: 0},
	"QueryRobotTaskCallDetail":        {successCode: "OK", class: readOnly, userQPS: 100, apiQPS: 500},
	"QueryRobotTaskCallList":          {successCode: "OK", class: readOnly, userQPS: 100, apiQPS: 500},
	"QueryRobotTaskDetail":            {successCode: "OK", class: readOnly, userQPS: 1000, apiQPS: 500},
	"QueryRobotTaskList":              {successCode: "OK", class: readOnly, userQPS: 1000, apiQPS: 500},
	"QueryRobotv2AllList":             {successCode: "OK", class: readOnly, userQPS: 0, apiQPS: 0},
	"QueryRtcNumberAuthStatus":        {successCode: "", class: readOnly, userQPS: 0, apiQPS: 0},
	"QueryVirtualNumber":              {successCode: "200", class: readOnly, userQPS: 100, apiQPS: 500},
	"QueryVirtualNumberRelation":      {successCode: "200", class: readOnly, userQPS: 200, apiQPS: 1000},
	"QueryVoipNumberBindInfos":        {successCode: "", class: readOnly, userQPS: 0, apiQPS: 0},
	"RefreshMqttToken":                {successCode: "200", class: mutating, userQPS: 100, apiQPS: 0},
	"ReportVoipProblems":              {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"SendVerification":                {successCode: "OK", class: mutating, userQPS: 100, apiQPS: 500},
	"SetTransferCalleePoolConfig":     {successCode: "OK", class: mutating, userQPS: 100, apiQPS: 500},
	"SingleCallByTts":                 {successCode: "OK", class: mutating, userQPS: 1000, apiQPS: 4000, placesCall: true},
	"SingleCallByVoice":               {successCode: "OK", class: mutating, userQPS: 1200, apiQPS: 3600, placesCall: true},
	"SmartCall":                       {successCode: "OK", class: mutating, userQPS: 1000, apiQPS: 2000, placesCall: true},
	"SmartCallOperate":                {successCode: "OK", class: mutating, userQPS: 0, apiQPS: 0},
	"StartMicroOutbound":              {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"StartRobotTask":                  {successCode: "OK", class: mutating, userQPS: 1000, apiQPS: 500},
	"StopRobotTask":                   {successCode: "OK", class: mutating, userQPS: 100, apiQPS: 500},
	"SubmitHotlineTransferRegister":   {successCode: "OK", class: mutating, userQPS: 100, apiQPS: 500},
	"UnbindNumberAndVoipId":           {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"UndoRtcNumberAuth":               {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"UploadRobotTaskCalledFile":       {successCode: "OK", class: mutating, userQPS: 0, apiQPS: 0},
	"VoipAddAccount":                  {successCode: "", class: mutating, userQPS: 0, apiQPS: 0},
	"VoipGetToken":                    {successCode: "", class: readOnly, userQPS: 0, apiQPS: 0},
}
