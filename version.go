package dyvms

// SDKVersion is the version of this SDK, sent in the User-Agent.
const SDKVersion = "0.1.0"

// APIVersion is the Dyvmsapi API version this SDK speaks.
const APIVersion = "2017-05-25"
