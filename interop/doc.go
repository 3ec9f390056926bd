// Package interop holds tests only: they drive Alibaba Cloud's official Go
// clients against the dyvmstest fake on loopback, so that the fake is
// checked by clients this project did not write, with both signatures.
//
//   - github.com/alibabacloud-go/darabonba-openapi/v2, CallApi, with its
//     default signature V3 (ACS3-HMAC-SHA256) and with SignatureAlgorithm
//     "v2" (HMAC-SHA1);
//   - github.com/aliyun/alibaba-cloud-sdk-go v1, its typed dyvmsapi client
//     (HMAC-SHA1).
//
// It is a module of its own so that the SDK's module keeps one dependency.
package interop
