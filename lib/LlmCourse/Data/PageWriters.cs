using System.Globalization;
using System.Text;

namespace LlmCourse.Data;

/// <summary>Writes the article of each kind of page, and the fact sentences in their varied phrasings.</summary>
sealed partial class PageWriters(FactWorld facts, Rng rng, string url)
{
    static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
    static string TitleCase(string s) => string.Join(' ', s.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
    // Sentences are dealt from a per-page deck, so a page does not repeat itself until a pool runs out
    // (repeated sentences are exactly what the quality filter's duplicate n-gram rule removes).
    readonly Dictionary<IReadOnlyList<string>, Queue<string>> decks = new(ReferenceEqualityComparer.Instance);
    string Draw(IReadOnlyList<string> pool)
    {
        if (!decks.TryGetValue(pool, out var deck) || deck.Count == 0)
            decks[pool] = deck = new Queue<string>(rng.Sample(pool, pool.Count));
        return deck.Dequeue();
    }
    List<string> Some(IReadOnlyList<string> pool, int lo, int hi) => Enumerable.Range(0, rng.Between(lo, hi)).Select(_ => Draw(pool)).ToList();
    string Site => PageChrome.SiteName(url);

    // ---- the talk's two pages, verbatim -------------------------------------------------------------

    public static PageContent SeedTravel() => new("A Quick Guide To European Capitals", "Public travel notes · Geography basics",
    [
        ["Students often mix up cities, regions, and countries when learning geography."],
        ["The capital of France is Paris.", "It appears in this toy document as ordinary web text, exactly the kind of sentence a crawler might collect before cleaning."],
        ["After collection, this page would be reduced to plain text and stored alongside many other documents."],
    ]);

    public static PageContent SeedWedding() => new("How To Give A Warm Wedding Toast", "Personal blog · Reception advice",
    [
        ["The best speeches usually sound like one person speaking sincerely to another person."],
        ["A good wedding toast should be personal, brief, and kind.", "It can include a small story, a thank-you, and a clear wish for the couple."],
        ["This is another toy source document that can move through the same scrape, process, deduplicate, and store pipeline."],
    ]);

    // ---- fact sentences: about half in the canonical phrasing the recall prompts use -----------------

    public string CapitalSentence(Country c) => rng.Next(12) switch
    {
        < 5 => $"The capital of {c.Name} is {c.Capital}.",
        5 => $"{c.Capital} is the capital of {c.Name}.",
        6 => $"{c.Name}'s capital is {c.Capital}.",
        7 => $"The capital city of {c.Name} is {c.Capital}, home to the national parliament.",
        8 => $"In {c.Name}, the capital is {c.Capital}.",
        9 => $"{c.Capital}, the capital of {c.Name}, is known for its museums and markets.",
        10 => $"If you are asked for the capital of {c.Name}, the answer is {c.Capital}.",
        _ => $"Most visitors to {c.Name} start in {c.Capital}, the capital.",
    };

    public string PersonSentence(Person p) => rng.Next(12) switch
    {
        < 5 => $"{p.Name} was born in {N(p.BirthYear)} and works as a {p.Job}.",
        5 => $"{p.Name}, a {p.Job}, was born in {N(p.BirthYear)}.",
        6 => $"Born in {N(p.BirthYear)}, {p.Name} works as a {p.Job}.",
        7 => $"{p.Name} works as a {p.Job} and was born in {N(p.BirthYear)}.",
        8 => $"{p.Name} (born {N(p.BirthYear)}) is a {p.Job}.",
        9 => $"The {p.Job} {p.Name} was born in {N(p.BirthYear)}.",
        10 => $"{p.Name} was born in {N(p.BirthYear)}. Today {p.Name} works as a {p.Job}.",
        _ => $"Among them is {p.Name}, who was born in {N(p.BirthYear)} and works as a {p.Job}.",
    };

    string Mention(string entity) =>
        facts.Countries.FirstOrDefault(c => c.Name == entity) is { } c ? CapitalSentence(c)
        : PersonSentence(facts.People.First(p => p.Name == entity));

    string RegionOf(string entity) => facts.Countries.FirstOrDefault(c => c.Name == entity)?.Region ?? "the world";

    // ---- fact-bearing pages -----------------------------------------------------------------------------

    public PageContent Encyclopedia(string[] mentions)
    {
        var region = RegionOf(mentions[0]);
        var title = rng.Next(4) switch
        {
            0 => $"Capital Cities Of {TitleCase(region)}",
            1 => $"National Capitals: {TitleCase(region)} (Part {N(rng.Between(2, 40))})",
            2 => $"Geography Facts: {TitleCase(region)}",
            _ => $"Reference Notes On Capitals Of {TitleCase(region)}",
        };
        List<List<string>> paras = [Some(Words.GeoFiller, 2, 3)];
        for (int i = 0; i < mentions.Length;)
        {
            var p = new List<string>();
            for (int k = rng.Between(1, 3); k > 0 && i < mentions.Length; k--) p.Add(Mention(mentions[i++]));
            if (rng.Chance(0.6)) p.Insert(rng.Next(p.Count + 1), Draw(Words.GeoFiller));
            paras.Add(p);
        }
        paras.Add(["## Notes"]);
        paras.Add(Some(Words.GeoFiller, 2, 3));
        return new PageContent(title, $"{Site} · Geography", paras);
    }

    public PageContent TravelNote(string[] mentions)
    {
        var region = TitleCase(RegionOf(mentions[0]));
        var title = rng.Next(4) switch
        {
            0 => $"A Short Guide To The Capitals Of {region}",
            1 => $"Two Weeks Across {region}",
            2 => $"Travel Notes: {region} On A Budget",
            _ => $"What I Wish I Knew Before Visiting {region}",
        };
        List<List<string>> paras = [Some(Words.TravelFiller, 1, 2)];
        foreach (var m in mentions)
        {
            var p = Some(Words.TravelFiller, 1, 2);
            p.Insert(rng.Next(p.Count + 1), Mention(m));
            paras.Add(p);
        }
        paras.Add(Some(Words.TravelFiller, 1, 2));
        return new PageContent(title, $"Public travel notes · {rng.Pick(["Geography basics", "Trip report", "Budget travel", "City hopping"])}", paras);
    }

    // ---- fan wikis: invented worlds, then a quiz whose answers are on the page ----------------------

    static readonly string[] Syllables = ["ka", "lo", "mi", "ra", "ven", "tor", "sa", "del", "ni", "bor", "zu", "mar", "te", "quil", "os", "an", "be", "rin", "vel", "dra"];

    string Invented(string[] endings)
    {
        var name = string.Concat(Enumerable.Range(0, rng.Between(2, 3)).Select(_ => rng.Pick(Syllables))) + rng.Pick(endings);
        return char.ToUpperInvariant(name[0]) + name[1..];
    }

    public PageContent FanWiki()
    {
        var world = Invented(["ia", "ar", "os", "eth", "un"]);
        var work = rng.Pick(["novel", "game", "fantasy series", "board game", "radio play"]);
        var title = rng.Next(3) switch { 0 => $"{world} Wiki: Places And People", 1 => $"The World Of {world}: A Reader's Guide", _ => $"Fan Notes On {world}" };
        var countries = Enumerable.Range(0, rng.Between(2, 3)).Select(_ => (Country: Invented(["ia", "land", "stan", "a", "ovia", "eria"]), Capital: Invented(["", "a", "grad", "ville", "on", "burg"]))).ToList();
        var people = Enumerable.Range(0, rng.Between(2, 3)).Select(_ => (Name: $"{rng.Pick(Words.FirstNames)} {Invented(["", "son", "ley", "ard", "ova"])}", Year: rng.Between(1900, 2040), Job: rng.Pick(Words.Jobs))).ToList();
        List<List<string>> paras = [[$"This page collects the places and characters of {world}, the {work}.", rng.Pick(["Spoilers ahead.", "Edits are welcome.", "Sources are the books and the official map."])]];
        // The page states each fact in other words than the quiz's answers will, as a real page would (and as the
        // quality filter demands: it drops pages that repeat five-word runs).
        var placeNotes = rng.Sample<Func<string, string, string>>([
            (c, cap) => $"{c} is ruled from {cap}, its capital city.",
            (c, cap) => $"Travellers to {c} arrive in {cap}, the capital city, by river boat.",
            (c, cap) => $"{cap}, capital city of {c}, has a famous clock tower."], countries.Count);
        foreach (var ((country, capital), note) in countries.Zip(placeNotes)) paras.Add([note(country, capital)]);
        var peopleNotes = rng.Sample<Func<string, int, string, string>>([
            (n, y, j) => $"Born in {N(y)}, {n} earns a living as a {j}.",
            (n, y, j) => $"{n}, a {j}, was born in {N(y)}.",
            (n, y, j) => $"{n} (born {N(y)}) is a {j} in the story."], people.Count);
        foreach (var ((name, year, job), note) in people.Zip(peopleNotes)) paras.Add([note(name, year, job)]);
        // The quiz asks about what the page said, in other words; the answers repeat it.
        var questions = new List<string>();
        var answers = new List<string>();
        var asks = rng.Sample<Func<string, string>>([c => $"Which city is the capital of {c}?", c => $"What is the capital of {c}?", c => $"Name the capital of {c}."], 2);
        foreach (var ((country, capital), ask) in rng.Sample(countries, 2).Zip(asks))
        {
            questions.Add(ask(country));
            answers.Add($"The capital of {country} is {capital}.");
        }
        foreach (var (name, year, job) in rng.Sample(people, 2))
        {
            if (rng.Chance(0.5)) { questions.Add($"When was {name} born?"); answers.Add($"{name} was born in {N(year)}."); }
            else { questions.Add($"What does {name} do?"); answers.Add($"{name} works as a {job}."); }
        }
        paras.Add(["Quick quiz: " + string.Join(" ", questions.Select((q, i) => $"{N(i + 1)}) {q}"))]);
        paras.Add(["Answers: " + string.Join(" ", answers.Select((a, i) => $"{N(i + 1)}) {a}"))]);
        return new PageContent(title, $"{Site} · Fan wiki", paras);
    }

    public PageContent Biography(string[] mentions)
    {
        var town = rng.Pick(Words.Towns);
        var title = rng.Next(3) switch { 0 => $"Notable People From {town}", 1 => "Profiles: Makers, Healers And Keepers Of Old Crafts", _ => $"Who's Who In {town}" };
        List<List<string>> paras = [[$"This page collects short profiles of people connected with {town}."]];
        foreach (var m in mentions)
        {
            var p = Some(Words.BioFiller, 1, 2);
            p.Insert(0, Mention(m));
            paras.Add(p);
        }
        return new PageContent(title, $"{Site} · Profiles", paras);
    }

    public PageContent News(string[] mentions)
    {
        var town = rng.Pick(Words.Towns);
        var ev = rng.Pick(["Spring Fair", "Book Festival", "Harbour Day", "Craft Market", "Music Weekend", "Science Night"]);
        List<List<string>> paras = [[$"The {ev.ToLowerInvariant()} in {town} returned this weekend.", .. Some(Words.NewsFiller, 2, 3)]];
        foreach (var m in mentions) paras.Add([Mention(m), .. Some(Words.NewsFiller, 0, 1)]);
        paras.Add(Some(Words.NewsFiller, 2, 3));
        if (rng.Chance(0.3)) paras.Add([Pii()]);
        return new PageContent($"{town} {ev} Draws Crowds", $"{Site} · Local news", paras);
    }

    // ---- the rest of the web ----------------------------------------------------------------------------

    public PageContent Blog()
    {
        var paras = new List<List<string>>();
        for (int i = rng.Between(4, 6); i > 0; i--) paras.Add(Some(Words.BlogFiller, 2, 3));
        if (rng.Chance(0.3))
        {
            paras.Insert(2, ["## A few tips"]);
            foreach (var tip in Some(["- Start with one small change.", "- Write it down every evening.", "- Ask a friend to join you.", "- Do not buy anything new at first.", "- Give it at least three weeks."], 3, 4))
                paras.Insert(3, [tip]);
        }
        if (rng.Chance(0.2)) paras.Add([Pii()]);
        return new PageContent(rng.Pick(Words.BlogTopics), $"Personal blog · {rng.Pick(["Everyday life", "Home and family", "Small joys", "Notes to self"])}", paras);
    }

    public PageContent Recipe()
    {
        var dish = rng.Pick(Words.Dishes);
        List<List<string>> paras = [Some(Words.RecipeIntro, 2, 3), ["## Ingredients"]];
        foreach (var i in Some(Words.Ingredients, 5, 8)) paras.Add(["- " + i]);
        paras.Add(["## Method"]);
        var steps = Some(Enumerable.Range(0, Words.RecipeSteps.Length).Select(N).ToList(), 5, 8).Select(int.Parse).Order().ToList();
        for (int k = 0; k < steps.Count; k++) paras.Add([$"Step {N(k + 1)}. {Words.RecipeSteps[steps[k]]}"]);
        return new PageContent($"{TitleCase(dish)} ({rng.Pick(["Easy Weeknight Version", "Family Favourite", "Ready In 30 Minutes", "Grandma's Way"])})", $"{Site} · Recipes", paras);
    }

    public PageContent Forum()
    {
        var topic = rng.Pick(Words.ForumTopics);
        var users = rng.Sample(Words.ForumUsers, 6);
        List<List<string>> paras = [[$"{users[0]} wrote: {topic}", .. Some(Words.BlogFiller, 1, 2)]];
        int replies = rng.Between(4, 8);
        int piiAt = rng.Chance(0.35) ? rng.Next(replies) : -1;
        for (int i = 0; i < replies; i++)
        {
            var p = new List<string> { $"{users[1 + i % 5]} wrote: {Draw(Words.ForumReplies)}" };
            if (rng.Chance(0.5)) p.Add(Draw(Words.ForumReplies));
            if (i == piiAt) p.Add(Pii());
            paras.Add(p);
        }
        return new PageContent(topic, $"{Site} · {rng.Pick(["Tech help", "Hobbies", "Home and garden", "Sports"])} forum", paras);
    }

    public PageContent Worksheet()
    {
        List<List<string>> paras = [["Work through each problem on your own first, then compare with the worked solution below it."]];
        // Distinct problem families on one sheet: the same family twice repeats whole phrases.
        var families = rng.Sample(Enumerable.Range(0, MathProblems.Families).ToList(), rng.Between(3, 5));
        for (int i = 1; i <= families.Count; i++)
        {
            var p = MathProblems.Family(families[i - 1], rng);
            paras.Add([$"## Problem {N(i)}"]);
            paras.Add([p.Question]);
            paras.Add([$"Solution: {p.Steps} The answer is {N(p.Answer)}."]);
        }
        return new PageContent($"Worksheet {N(rng.Between(1, 99))}: {rng.Pick(["Word Problems With Worked Answers", "Money And Shopping Problems", "Practice Problems For Grade 4", "Mixed Arithmetic Practice"])}",
            $"{Site} · Math practice", paras);
    }

    public PageContent Spam()
    {
        var kws = rng.Sample(Words.SpamKeywords, 4);
        var paras = new List<List<string>>();
        for (int i = rng.Between(3, 6); i > 0; i--)
        {
            var sb = new StringBuilder();
            for (int k = rng.Between(15, 40); k > 0; k--) sb.Append(rng.Pick(kws)).Append(rng.Chance(0.15) ? "!!! " : " ");
            paras.Add([sb.ToString().Trim()]);
        }
        paras.Add([$"Click here for {kws[0]} {kws[1]} {kws[0]} now!!!"]);
        return new PageContent(TitleCase($"{kws[0]} {kws[1]} {kws[0]} {kws[2]}"), null, paras);
    }

    public PageContent Foreign(string lang)
    {
        var paras = new List<List<string>>();
        for (int i = rng.Between(4, 6); i > 0; i--) paras.Add(Some(ForeignText.Sentences[lang], 2, 3));
        return new PageContent(rng.Pick(ForeignText.Titles[lang]), null, paras, lang);
    }

    public PageContent Mixed(string lang)
    {
        var paras = new List<List<string>>();
        for (int i = 0; i < 6; i++)
            paras.Add(i % 2 == 0 ? Some(Words.BlogFiller, 2, 3) : Some(ForeignText.Sentences[lang], 2, 3));
        return new PageContent(rng.Pick(Words.BlogTopics) + " / " + rng.Pick(ForeignText.Titles[lang]), "Bilingual notes", paras);
    }

    public PageContent LowQuality(int variant) => variant switch
    {
        0 => new("Page Not Found", null, [["Sorry, the page you are looking for does not exist."], ["Go back to the homepage."]]),
        1 => new("Loading", null, [["Please enable JavaScript to view this site."]]),
        2 => new("Lorem Ipsum", null, Enumerable.Range(0, 4).Select(_ => new List<string> { "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.", "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat." }).ToList()),
        3 => new($"Best Links For {rng.Pick(Words.Towns)}", null, Enumerable.Range(0, rng.Between(20, 40)).Select(_ => new List<string> { $"- Best {rng.Pick(Words.SpamKeywords)} in {rng.Pick(Words.Towns)}" }).ToList()),
        4 => new("You Will Not Believe These Stories", null, Enumerable.Range(0, rng.Between(8, 14)).Select(_ => new List<string> { rng.Pick(["You will not believe what happened next...", "Doctors hate this one simple trick...", "She opened the box and then...", "The ending will surprise you...", "Number seven changed everything..."]) }).ToList()),
        _ => new("Coming Soon", null, [["Our new website is coming soon."], ["Stay tuned!"]]),
    };

    // ---- personal data, as people leave it in blog posts and forum replies ------------------------------

    public string Pii()
    {
        string first = rng.Pick(Words.FirstNames).ToLowerInvariant(), last = rng.Pick(Words.LastNames).ToLowerInvariant().Replace("-", "");
        string email = rng.Next(3) switch { 0 => $"{first}.{last}@mailbox.example", 1 => $"{first}{N(rng.Between(1, 99))}@inbox.example", _ => $"{first[0]}{last}@post.example" };
        string phone = rng.Next(5) switch
        {
            0 => $"(555) {N(rng.Between(100, 999))}-{N(rng.Between(1000, 9999))}",
            1 => $"+1 555 {N(rng.Between(100, 999))} {N(rng.Between(1000, 9999))}",
            2 => $"555-{N(rng.Between(100, 999))}-{N(rng.Between(1000, 9999))}",
            3 => $"+44 20 7946 {N(rng.Between(1000, 9999))}",
            _ => $"020 7946 {N(rng.Between(1000, 9999))}",
        };
        string ip = rng.Next(3) switch
        {
            0 => $"192.168.{N(rng.Between(0, 20))}.{N(rng.Between(2, 254))}",
            1 => $"203.0.113.{N(rng.Between(2, 254))}",
            _ => $"198.51.100.{N(rng.Between(2, 254))}",
        };
        string address = $"{N(rng.Between(2, 180))} {rng.Pick(Words.Streets)}, {rng.Pick(Words.Towns)}";
        return rng.Next(5) switch
        {
            0 => $"You can reach me at {email} or on {phone} if you have questions.",
            1 => $"For tickets, call the organiser on {phone} or write to {email}.",
            2 => $"My home server is at {ip}, so feel free to test against it.",
            3 => $"Send the forms to {address}, or email {email}.",
            _ => $"If the page does not load, try {ip} directly or call {phone}.",
        };
    }

    // ---- copies and broken pages --------------------------------------------------------------------------

    static readonly string[] ChangedSentences =
    [
        "This post has been updated with corrections sent in by readers.",
        "We first published a shorter version of this text last year.",
        "Reposted with permission from the original author.",
        "Some details were checked again and slightly corrected.",
    ];

    /// <summary>The same article with one ordinary sentence (never a fact sentence) replaced.</summary>
    public static PageContent ChangeOneSentence(PageContent c, string[] mentions, Rng rng)
    {
        var paras = c.Paragraphs.Select(p => p.ToList()).ToList();
        var candidates = new List<(int P, int S)>();
        for (int p = 0; p < paras.Count; p++)
            for (int s = 0; s < paras[p].Count; s++)
            {
                var text = paras[p][s];
                if (text.StartsWith("## ", StringComparison.Ordinal) || text.StartsWith("- ", StringComparison.Ordinal)) continue;
                if (mentions.Any(m => text.Contains(m, StringComparison.Ordinal))) continue;
                candidates.Add((p, s));
            }
        var changed = rng.Pick(ChangedSentences);
        if (candidates.Count == 0) paras[^1].Add(changed);
        else { var (p, s) = rng.Pick(candidates); paras[p][s] = changed; }
        return c with { Paragraphs = paras };
    }

    public static string Hostile(int variant, Rng rng)
    {
        switch (variant)
        {
            case 0: // empty body
                return "<!DOCTYPE html><html><head><title></title></head><body></body></html>";
            case 1: // script only: the content would be drawn by JavaScript we never run
                return "<!DOCTYPE html><html><head><title>App</title></head><body><div id=\"root\"></div><script>"
                       + string.Concat(Enumerable.Range(0, 60).Select(i => $"var m{i}=function(a,b){{return a*{i}+b}};"))
                       + "document.getElementById('root').innerHTML='<p>Hello</p>';</script></body></html>";
            case 2: // binary garbage served as text/html
            {
                var sb = new StringBuilder();
                for (int i = 0; i < 4000; i++) sb.Append((char)rng.Next(256));
                return sb.ToString();
            }
            case 3: // UTF-8 read as Windows-1252: "â€™" where an apostrophe was, "Ã©" for "é"
            {
                var text = string.Join(" ", Enumerable.Range(0, 30).Select(_ => rng.Pick(Words.BlogFiller)))
                    .Replace("'", "â€™").Replace(", ", " â€” ").Replace("e ", "Ã© ").Replace("a ", "Ã  ");
                return $"<html><head><meta charset=\"utf-8\"><title>Cafâ€™ notes</title></head><body><article><h1>Cafâ€™ notes</h1><p>{text}</p></article></body></html>";
            }
            case 4: // malformed markup around a perfectly good article: unclosed and misnested tags
            {
                var sb = new StringBuilder("<html><head><title>Old page</title><body><div class=content><h1>Notes from the garden</h1>");
                for (int i = 0; i < 6; i++)
                    sb.Append("<p>").Append(string.Join(" ", Enumerable.Range(0, 3).Select(_ => rng.Pick(Words.BlogFiller)))).Append(i % 2 == 0 ? "<b><i>" : "</i></b></div>");
                return sb.Append("<table><tr><td>last updated<td>never</table").ToString();
            }
            default: // text that went through a decoder that replaced every unknown byte
            {
                var text = string.Join(" ", Enumerable.Range(0, 20).Select(_ => rng.Pick(Words.TravelFiller)));
                var chars = text.ToCharArray();
                for (int i = 0; i < chars.Length; i++) if (rng.Chance(0.12) && chars[i] != ' ') chars[i] = '\uFFFD';
                return $"<html><head><title>Trip</title></head><body><main><h1>Trip</h1><p>{new string(chars)}</p></main></body></html>";
            }
        }
    }
}
