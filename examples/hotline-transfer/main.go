// Command hotline-transfer sets up the transfer of a China 400 hotline's
// inbound calls: it verifies the handler's mobile number by SMS
// (SendVerification), registers a number to transfer to
// (SubmitHotlineTransferRegister), puts it in the hotline's callee pool
// (SetTransferCalleePoolConfig) and reads the pool back
// (QueryCallInPoolTransferConfig).
//
//	go run ./examples/hotline-transfer
//
// Without ALIBABA_CLOUD_* credentials it runs against the embedded fake
// Dyvmsapi, where "123456" stands in for the SMS code. With them it runs
// in two steps: without DYVMS_EXAMPLE_SMS_CODE it only sends the SMS code
// to DYVMS_EXAMPLE_OPERATOR_MOBILE; run it again with the code received to
// submit the registration and set the pool. It also needs the settings it
// lists when they are missing (the hotline, the qualification and the
// handler's and the target's particulars).
package main

import (
	"context"
	"fmt"
	"io"

	dyvms "github.com/dyvms/dyvms-go"
	"github.com/dyvms/dyvms-go/examples/internal/exampleenv"
)

func main() { exampleenv.Main("hotline-transfer", run) }

func run(ctx context.Context, out io.Writer) error {
	env, err := exampleenv.Setup(out)
	if err != nil {
		return err
	}
	defer env.Close()
	hotline := env.Var("DYVMS_EXAMPLE_HOTLINE", "4001112222", "the 400 hotline number")
	qualification := env.Var("DYVMS_EXAMPLE_QUALIFICATION_ID", "1478000", "the hotline's qualification ID (GetHotlineQualificationByOrder)")
	opName := env.Var("DYVMS_EXAMPLE_OPERATOR_NAME", "Li Lei", "the name of the person handling the registration")
	opID := env.Var("DYVMS_EXAMPLE_OPERATOR_ID_CARD", "110101199001011234", "the handler's ID card number")
	opMail := env.Var("DYVMS_EXAMPLE_OPERATOR_MAIL", "ops@example.com", "the handler's e-mail address")
	opMobile := env.Var("DYVMS_EXAMPLE_OPERATOR_MOBILE", "13900001234", "the handler's mobile number, which receives the SMS code")
	target := env.Var("DYVMS_EXAMPLE_TRANSFER_TO", "13900005678", "the number to transfer calls to")
	targetOwner := env.Var("DYVMS_EXAMPLE_TRANSFER_OWNER", "Han Meimei", "the real or company name of that number's owner")
	targetID := env.Var("DYVMS_EXAMPLE_TRANSFER_ID_CARD", "110101199202022345", "the ID card number of that number's owner")
	smsCode := env.Optional("DYVMS_EXAMPLE_SMS_CODE", "123456", "")
	if err := env.Err(); err != nil {
		return err
	}

	// 1. An SMS code to the handler's mobile. Against the real service,
	// the first run stops here: the code arrives on the phone.
	if smsCode == "" || !env.Real() {
		if done, err := sendSMSCode(ctx, out, env, opMobile, smsCode); done || err != nil {
			return err
		}
	}

	// 2. Register the number calls are transferred to.
	reg, err := env.Client.SubmitHotlineTransferRegister(ctx, &dyvms.SubmitHotlineTransferRegisterRequest{
		HotlineNumber:            hotline,
		QualificationID:          qualification,
		Agreement:                dyvms.AgreementTrue, // the information is authentic
		OperatorName:             opName,
		OperatorIdentityCard:     opID,
		OperatorMail:             opMail,
		OperatorMobile:           opMobile,
		OperatorMobileVerifyCode: smsCode,
		TransferPhoneNumberInfos: []dyvms.TransferPhoneNumberInfo{
			{PhoneNumber: target, PhoneNumberOwnerName: targetOwner, IdentityCard: targetID},
		},
	})
	if err != nil {
		return fmt.Errorf("SubmitHotlineTransferRegister: %w", err)
	}
	fmt.Fprintf(out, "registered %s as a transfer target of %s: registration %d\n",
		exampleenv.Mask(target), hotline, reg.RegistrationID)

	// 3. Put it in the hotline's callee pool, and read the pool back.
	return configurePool(ctx, out, env, hotline, qualification, target)
}

// sendSMSCode sends an SMS verification code to mobile. done is true when
// the program should stop and be run again with the code received.
func sendSMSCode(ctx context.Context, out io.Writer, env *exampleenv.Env, mobile, smsCode string) (done bool, err error) {
	sent, err := env.Client.SendVerification(ctx, &dyvms.SendVerificationRequest{
		Target: mobile, BizType: dyvms.VerificationBizContact, VerifyType: dyvms.VerifyTypeSMS,
	})
	if err != nil {
		// Sends an SMS: a second one may invalidate the first, so no resend.
		return false, fmt.Errorf("SendVerification: %w", err)
	}
	fmt.Fprintf(out, "SMS verification code sent to %s: %v\n", exampleenv.Mask(mobile), sent.Sent)
	if env.Real() {
		fmt.Fprintln(out, "run again with DYVMS_EXAMPLE_SMS_CODE set to the code received")
		return true, nil
	}
	fmt.Fprintf(out, "(offline, %s stands in for the code received)\n", smsCode)
	return false, nil
}

// configurePool puts target in the callee pool of hotline and prints the
// pool as the service reads it back.
func configurePool(ctx context.Context, out io.Writer, env *exampleenv.Env, hotline, qualification, target string) error {
	set, err := env.Client.SetTransferCalleePoolConfig(ctx, &dyvms.SetTransferCalleePoolConfigRequest{
		PhoneNumber:     hotline,
		QualificationID: qualification,
		CalledRouteMode: dyvms.TransferRoundRobin,
		Details:         []dyvms.TransferCallee{{Called: target}},
	})
	if err != nil {
		// On a transport error, read the pool back before resending.
		return fmt.Errorf("SetTransferCalleePoolConfig: %w", err)
	}
	fmt.Fprintf(out, "callee pool of %s set (round robin over %s): %v\n", hotline, exampleenv.Mask(target), set.Saved)

	// 4. Read the pool back.
	cfg, err := env.Client.QueryCallInPoolTransferConfig(ctx, &dyvms.QueryCallInPoolTransferConfigRequest{PhoneNumber: hotline})
	if err != nil {
		return fmt.Errorf("QueryCallInPoolTransferConfig: %w", err)
	}
	c := cfg.Config
	fmt.Fprintf(out, "callee pool of %s: mode %s, timeout %ss, created %s, targets:", hotline, c.CalledRouteMode, c.TransferTimeout,
		c.CreatedAt().Format("2006-01-02 15:04:05"))
	for _, t := range c.Details {
		fmt.Fprintf(out, " %s", exampleenv.Mask(t.Called))
	}
	fmt.Fprintln(out)
	if !env.Real() {
		fmt.Fprintln(out, "(the fake answers this query with the API reference's sample, not with what was set)")
	}
	return nil
}
