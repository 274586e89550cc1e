using ReferralExchange.Cli;

// rx: the Referral Exchange operator tool. See `rx --help`.
return await CliApp.RunAsync(args, Console.Out);
