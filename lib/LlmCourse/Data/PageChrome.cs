using System.Text;

namespace LlmCourse.Data;

/// <summary>The article part of a page: what a reader came for, before the site wraps it in chrome.</summary>
/// <param name="Paragraphs">Paragraphs of sentences; a paragraph starting with "## " is a subheading, "- " a list item.</param>
sealed record PageContent(string Title, string? Byline, List<List<string>> Paragraphs, string Lang = "en");

/// <summary>
/// Wraps an article in what real sites put around it: navigation, a cookie banner, ads, a sidebar, a
/// footer, tracking scripts and styles. Four site templates with different markup habits (semantic
/// article/main, div soup with ids, role="main", bare paragraphs), so the extractor cannot rely on one.
/// </summary>
static class PageChrome
{
    public const int StyleCount = 4;

    // Escape only what HTML needs; real pages carry UTF-8 text as is, not numeric entities.
    static string E(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    public static string SiteName(string url)
    {
        var host = new Uri(url).Host;
        var name = host.Split('.')[0].Replace('-', ' ');
        return string.Join(' ', name.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
    }

    static readonly string[] NavItems = ["Home", "About", "Archive", "Topics", "Contact", "Subscribe", "Shop", "Events", "Login"];
    static readonly string[] AdTexts =
    [
        "Advertisement: Save 20% on garden furniture this week only",
        "Sponsored: The comfiest socks you will ever own. Shop now",
        "Ad: Learn a language in just 10 minutes a day",
        "Sponsored: Compare cheap flights to over 500 destinations",
        "Advertisement: Fresh coffee beans delivered to your door",
    ];
    static readonly string[] SidebarItems = ["Most read this week", "Ten tips for better sleep", "Our favourite hiking boots", "Ask the editor", "Reader photos of the month", "How we test products"];

    public static string Render(PageContent c, int style, string url, Rng rng)
    {
        var site = SiteName(url);
        var sb = new StringBuilder(4096);
        sb.Append("<!DOCTYPE html>\n<html lang=\"").Append(c.Lang).Append("\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<title>").Append(E(c.Title)).Append(" | ").Append(E(site)).Append("</title>\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<style>body{font-family:Georgia,serif;margin:0;color:#222}.cookie-banner{position:fixed;bottom:0;background:#333;color:#fff;padding:1em}")
          .Append(".ad-slot,.banner-ad{background:#f4f1e8;border:1px dashed #aaa;padding:8px;margin:12px 0}nav a,.menu a{margin-right:1em}")
          .Append(rng.Chance(0.5) ? "aside,#sidebar{float:right;width:30%}" : ".sidebar{display:none}@media(min-width:800px){.sidebar{display:block}}").Append("</style>\n");
        sb.Append("<script async src=\"https://analytics.example/tag.js\"></script>\n");
        sb.Append("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','UA-")
          .Append(rng.Between(100000, 999999)).Append("');</script>\n</head>\n<body>\n");

        string Nav() => string.Concat(rng.Sample(NavItems, 5).Select(n => $"<a href=\"/{n.ToLowerInvariant()}\">{n}</a>"));
        string Ad() => rng.Pick(AdTexts);
        string Cookie() => "We use cookies to improve your experience and to show you personalised ads. By continuing you agree to our cookie policy.";
        string Sidebar() => "<ul>" + string.Concat(rng.Sample(SidebarItems, 4).Select(s => $"<li><a href=\"#\">{s}</a></li>")) + "</ul>";
        string Footer() => $"© {rng.Between(2015, 2025)} {E(site)}. All rights reserved. <a href=\"/privacy\">Privacy</a> · <a href=\"/terms\">Terms</a>";
        int adAfter = c.Paragraphs.Count > 2 ? rng.Between(1, c.Paragraphs.Count - 1) : -1;

        switch (style)
        {
            case 0: // semantic HTML5: header/nav, main > article, aside, footer
                sb.Append("<div class=\"cookie-banner\" id=\"cookie-consent\"><p>").Append(Cookie()).Append("</p><button>Accept all</button><button>Settings</button></div>\n");
                sb.Append("<header class=\"site-header\"><a class=\"logo\" href=\"/\">").Append(E(site)).Append("</a><nav>").Append(Nav()).Append("</nav></header>\n");
                sb.Append("<main>\n<article>\n<h1>").Append(E(c.Title)).Append("</h1>\n");
                if (c.Byline != null) sb.Append("<p class=\"byline\">").Append(E(c.Byline)).Append("</p>\n");
                Body(sb, c, adAfter, () => $"<div class=\"ad-slot\">{Ad()}</div>");
                sb.Append("</article>\n<aside class=\"sidebar\"><h3>Popular</h3>").Append(Sidebar()).Append("</aside>\n</main>\n");
                sb.Append("<footer>").Append(Footer()).Append("</footer>\n");
                break;
            case 1: // div soup with ids, the 2008 blog template
                sb.Append("<div id=\"wrapper\">\n<div id=\"top-menu\"><ul>").Append(string.Concat(rng.Sample(NavItems, 4).Select(n => $"<li><a href=\"#\">{n}</a></li>"))).Append("</ul></div>\n");
                sb.Append("<div class=\"banner-ad\">").Append(Ad()).Append("</div>\n");
                sb.Append("<div id=\"content\"><div class=\"post\">\n<h1 class=\"post-title\">").Append(E(c.Title)).Append("</h1>\n");
                if (c.Byline != null) sb.Append("<div class=\"byline\">").Append(E(c.Byline)).Append("</div>\n");
                sb.Append("<div class=\"post-body\">\n");
                Body(sb, c, adAfter, () => $"<div class=\"advert\">{Ad()}</div>");
                sb.Append("</div>\n<div class=\"share-buttons\">Share this: <a href=\"#\">Facebook</a> <a href=\"#\">Twitter</a> <a href=\"#\">Email</a></div>\n");
                sb.Append("<div class=\"related-posts\"><h4>You might also like</h4>").Append(Sidebar()).Append("</div>\n");
                sb.Append("</div></div>\n<div id=\"sidebar\"><h3>Archives</h3>").Append(Sidebar()).Append("</div>\n");
                sb.Append("<div id=\"footer\">").Append(Footer()).Append("</div>\n</div>\n");
                sb.Append("<div id=\"cookie-popup\" class=\"consent-popup\">").Append(Cookie()).Append(" <a href=\"#\">OK</a></div>\n");
                break;
            case 2: // role="main" and a newsletter box
                sb.Append("<div class=\"navbar\">").Append(Nav()).Append("</div>\n");
                sb.Append("<div class=\"container\"><div class=\"main\" role=\"main\">\n<h1>").Append(E(c.Title)).Append("</h1>\n");
                if (c.Byline != null) sb.Append("<p class=\"byline meta\">").Append(E(c.Byline)).Append("</p>\n");
                Body(sb, c, adAfter, () => $"<div class=\"sponsored\"><span>{Ad()}</span></div>");
                sb.Append("<div class=\"newsletter-signup\"><p>Get our best stories every Friday.</p><form><input type=\"email\" placeholder=\"Your email\"><button>Sign up</button></form></div>\n");
                sb.Append("</div></div>\n<div class=\"footer\">").Append(Footer()).Append("</div>\n");
                sb.Append("<noscript>Please enable JavaScript for the full experience.</noscript>\n");
                break;
            default: // bare: a hand-written page with no chrome to speak of
                sb.Append("<h1>").Append(E(c.Title)).Append("</h1>\n");
                if (c.Byline != null) sb.Append("<p class=\"byline\"><i>").Append(E(c.Byline)).Append("</i></p>\n");
                Body(sb, c, -1, () => "");
                sb.Append("<hr><p class=\"footer\"><small>").Append(Footer()).Append("</small></p>\n");
                break;
        }
        sb.Append("<script>document.querySelectorAll('a').forEach(function(a){a.addEventListener('click',function(){gtag('event','click')})});</script>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    static void Body(StringBuilder sb, PageContent c, int adAfter, Func<string> ad)
    {
        bool inList = false;
        for (int i = 0; i < c.Paragraphs.Count; i++)
        {
            var text = string.Join(" ", c.Paragraphs[i]);
            bool item = text.StartsWith("- ", StringComparison.Ordinal);
            if (item && !inList) { sb.Append("<ul>\n"); inList = true; }
            if (!item && inList) { sb.Append("</ul>\n"); inList = false; }
            if (item) sb.Append("<li>").Append(E(text[2..])).Append("</li>\n");
            else if (text.StartsWith("## ", StringComparison.Ordinal)) sb.Append("<h2>").Append(E(text[3..])).Append("</h2>\n");
            else sb.Append("<p>").Append(E(text)).Append("</p>\n");
            if (i == adAfter && !inList) sb.Append(ad()).Append('\n');
        }
        if (inList) sb.Append("</ul>\n");
    }
}
