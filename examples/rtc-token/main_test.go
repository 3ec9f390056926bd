package main

import (
	"testing"

	"github.com/dyvms/dyvms-go/examples/internal/exampletest"
)

func TestRun(t *testing.T) {
	out := exampletest.Run(t, run)
	exampletest.Contains(t, out,
		"RTC account 200000**** for device 2f0c4a9e-6d1b-4c35-9a57-1e2d3c4b5a69\n",
		"RTC token: MQTT host mqtt-cn-****.aliyuncs.com, TLS port 443 (TLS false), SDK port 8883, client GID_VOIP@@@ClientId_2000009_1006484****, token ***\n",
		"  topics: phone alicom_voip_phone, conference cs_alicom_voip_conference, gateway alicom_voip_server_pre\n",
		"MQTT token: host mqtt-****.mqtt.aliyuncs.com, instance mqtt-cn-v0h12****, client GID_VOIP_CRC@@@709923dcd8fa41ef9cdbabdd49c1****, user LTAI27GqA****, expires 2021-11-15T04:35:19Z, token LzMT*** (",
	)
	// The MQTT token itself is a secret.
	exampletest.Lacks(t, out, "LzMT+XLFl5s")
}
