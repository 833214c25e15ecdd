import Foundation
import MentorMatch

/// Markup for the review room: everything people typed (names, reasons, ids) is escaped, and
/// the page loads nothing from the network — its style and script are served by the tool.
enum HTML {
    /// Text as HTML text or attribute value.
    static func escape(_ s: String) -> String { SVGChart.esc(s) }

    /// A query-string value.
    static func query(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    /// A whole page: title, the navigation, the body.
    static func page(title: String, program: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) — \(escape(program))</title>
        <link rel="stylesheet" href="/assets/room.css">
        <script src="/assets/room.js" defer></script>
        </head><body>
        <nav><a href="/">\(escape(program))</a> · <a href="/compare">compare</a> · <a href="/log">audit trail</a></nav>
        <main>
        \(body)
        </main>
        <footer>MentorMatch review room · served from this computer only</footer>
        </body></html>
        """
    }

    /// A POST form carrying the access token, so the server can tell it came from its own page.
    static func form(action: String, token: AccessToken, attributes: String = "", _ inner: String) -> String {
        "<form method=\"post\" action=\"\(escape(action))\" \(attributes)><input type=\"hidden\" name=\"token\" value=\"\(escape(token.value))\">\(inner)</form>"
    }

    /// The reviewer's name field: remembered by the browser (room.js), the OS user by default.
    static func reviewerField(_ reviewer: String) -> String {
        "<label>your name <input name=\"by\" class=\"reviewer\" value=\"\(escape(reviewer))\" required maxlength=\"200\"></label>"
    }

    static let css = """
        body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d232b;background:#f6f7f9}
        nav{background:#1f3a5f;color:#fff;padding:.6em 1.2em}nav a{color:#fff;font-weight:600;text-decoration:none}
        main{max-width:1200px;margin:0 auto;padding:1em 1.2em}footer{color:#6b7480;font-size:12px;text-align:center;padding:2em}
        h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.15em;margin:1.4em 0 .5em}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.35em .6em;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
        th{background:#eef1f5;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .cards{display:flex;flex-wrap:wrap;gap:.8em}.card{background:#fff;border:1px solid #e3e6ea;border-radius:6px;padding:.6em .9em;min-width:10em}
        .card .label{color:#6b7480;font-size:12px}.card .value{font-size:1.35em;font-weight:600}
        .proof{background:#fff;border-left:4px solid #1f3a5f;padding:.5em .9em}
        .pass{color:#0a7a3d;font-weight:600}.fail{color:#b3261e;font-weight:600}
        .notice{background:#fff8e1;border:1px solid #f0d58c;padding:.5em .9em;border-radius:4px}
        .error{background:#fdecea;border:1px solid #f3b7b1;padding:.5em .9em;border-radius:4px}
        form.filters{display:flex;flex-wrap:wrap;gap:.6em;align-items:end;background:#fff;padding:.6em;border:1px solid #e3e6ea}
        form.filters label,form.act label{display:flex;flex-direction:column;font-size:12px;color:#4a525c}
        input,select,button{font:inherit;padding:.25em .4em}button{cursor:pointer}
        .decision{font-size:12px;padding:.1em .4em;border-radius:3px;background:#eef1f5}
        .decision.accepted{background:#e1f3e8}.decision.locked{background:#e3ecfa}.decision.rejected{background:#fbe4e1}
        .pager{margin:.6em 0}.pager a{margin-right:.6em}
        .act{background:#fff;border:1px solid #e3e6ea;padding:.6em;margin:.6em 0;display:flex;flex-wrap:wrap;gap:.6em;align-items:end}
        """

    /// Remembers the reviewer's name in the browser, and selects every pair on a page.
    static let script = """
        document.addEventListener('DOMContentLoaded', function () {
          var saved = null;
          try { saved = localStorage.getItem('mentormatch.reviewer'); } catch (e) {}
          document.querySelectorAll('input.reviewer').forEach(function (f) {
            if (saved) { f.value = saved; }
            f.addEventListener('change', function () { try { localStorage.setItem('mentormatch.reviewer', f.value); } catch (e) {} });
          });
          var all = document.getElementById('select-all');
          if (all) {
            all.addEventListener('change', function () {
              document.querySelectorAll('input.pick').forEach(function (c) { c.checked = all.checked; });
            });
          }
        });
        """
}
