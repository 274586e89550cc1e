namespace ReferralExchange.WebConsole.Hosting;

/// <summary>
/// The console's one stylesheet, served from this origin (the CSP allows no inline style): small,
/// readable on a phone in the field, high contrast, visible focus. No build chain (issue 16 §5).
/// </summary>
public static class ConsoleStyles
{
    public const string Css = """
        :root { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; line-height: 1.5; }
        body { margin: 0; }
        header { background: #0b3d5c; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
        header a, header button { color: #fff; }
        header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; }
        header form { margin-left: auto; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        a { color: #0b4f7c; }
        :focus-visible { outline: 3px solid #c25e00; outline-offset: 2px; }
        label { display: block; font-weight: 600; margin-top: .75rem; }
        input, select, textarea { font: inherit; padding: .4rem; border: 1px solid #555; border-radius: 4px; width: 100%; max-width: 30rem; box-sizing: border-box; }
        input[type=checkbox], input[type=radio] { width: auto; }
        fieldset { border: 1px solid #888; border-radius: 4px; margin-top: 1rem; }
        fieldset label { display: inline; font-weight: normal; margin-right: 1rem; }
        button { font: inherit; padding: .5rem 1rem; margin-top: 1rem; border-radius: 4px; border: 1px solid #0b3d5c; background: #0b3d5c; color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: #0b3d5c; }
        header button { background: transparent; border-color: #fff; margin: 0; }
        .field-error, .validation-summary-errors { color: #a00000; font-weight: 600; }
        .notice { border-left: 4px solid #c25e00; background: #fff4e5; padding: .5rem 1rem; }
        .ok { border-left: 4px solid #1d6b2f; background: #eaf6ec; padding: .5rem 1rem; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ccc; vertical-align: top; }
        .badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; border: 1px solid; font-size: .9rem; }
        .badge.delivered { color: #1d6b2f; } .badge.overdue { color: #a00000; } .badge.pending { color: #5c4400; }
        ol.timeline { padding-left: 1.25rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        svg text { font-size: 12px; fill: #1a1a1a; }
        .hint { margin: .25rem 0; color: #444; font-size: .95rem; }
        .qr { margin: .5rem 0; } .qr svg { max-width: 100%; height: auto; border: 1px solid #ccc; }
        code, .wrap { overflow-wrap: anywhere; }
        ul.codes { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: .25rem; }
        td.actions form { display: inline; } td.actions button { margin: .25rem .25rem 0 0; padding: .3rem .6rem; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0 0 .5rem 0; }
        details { margin-top: 1rem; }
        #set-password-link { max-width: none; font-family: monospace; }
        .cell-label { display: none; }
        @media (max-width: 40rem) { th, td { display: block; border: 0; } tr { border-bottom: 1px solid #ccc; display: block; padding: .5rem 0; } .cell-label { display: inline; font-weight: 600; } }
        """;

    public static IResult Write() => Results.Text(Css, "text/css");
}
