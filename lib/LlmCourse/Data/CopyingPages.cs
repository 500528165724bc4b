namespace LlmCourse.Data;

/// <summary>
/// Pages where copying pays. Each one draws its specifics fresh — invented people, towns, dates, prices, codes —
/// and uses them again further down the page: a story whose characters recur, a letter that names its date and
/// place twice, a support thread that repeats an order number, a table that is then looked up. The values are too
/// many and too rare to memorise, so the only way to predict the second mention is to find the first one in the
/// context: the pressure under which induction heads form (Olsson et al. 2022; Chan et al. 2022 call it
/// burstiness). Nothing here names a fact-world entity: invented surnames are never one of Words.LastNames, and
/// no page states a real country's capital, so the fact world's mention counts stay exactly as planned.
/// Templates predictable from memory delay copying, so every slot has many frames, sampled without repetition,
/// in random order; restatements use other words than the first statement (the quality filter drops pages that
/// repeat five-word runs).
/// </summary>
sealed partial class PageWriters
{
    // ---- fresh specifics ------------------------------------------------------------------------------

    sealed record Character(string First, string Surname, int Born, string Town, string Job)
    {
        public string Name => $"{First} {Surname}";
    }

    /// <summary>Words an invented name must never be: fact-world surnames (all from Words.LastNames), countries and capitals
    /// (syllables can spell "Oslo").</summary>
    static readonly HashSet<string> FactWorldWords = new(Words.LastNames.Concat(CountryData.All.SelectMany(c => new[] { c.Name, c.Capital })), StringComparer.Ordinal);

    string Fresh(string[] endings)
    {
        string s;
        do s = Invented(endings);
        while (FactWorldWords.Contains(s));
        return s;
    }

    string Surname() => Fresh(["", "son", "ley", "ard", "ova", "ek", "ini", "holm", "well"]);
    string Town() => Fresh(["ford", "wick", "ham", "by", "mouth", "field", "stead", "ton", "moor", "dale"]);

    /// <summary>A cast with distinct first names and surnames.</summary>
    List<Character> Cast(int n)
    {
        var firsts = rng.Sample(Words.FirstNames, n);
        return firsts.Select(f => new Character(f, Surname(), rng.Between(1930, 2012), rng.Chance(0.5) ? Town() : rng.Pick(Words.Towns), rng.Pick(Words.Jobs))).ToList();
    }

    static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    static readonly string[] PetKinds = ["dog", "cat", "parrot", "tortoise", "rabbit", "goat", "pony", "hen", "ferret", "goldfish"];
    static readonly string[] Objects = ["brass key", "red bicycle", "tin box", "old map", "green umbrella", "silver whistle", "wooden boat", "paper lantern", "leather satchel", "glass jar", "blue kite", "pocket watch"];

    string Date() => $"{N(rng.Between(1, 28))} {rng.Pick(Months)} {N(rng.Between(1988, 2031))}";
    string Clock() => $"{N(rng.Between(1, 12))}:{rng.Pick(["00", "15", "30", "45"])} {rng.Pick(["am", "pm"])}";
    string Price() => $"{rng.Pick(["£", "$", "€"])}{N(rng.Between(3, 60))}";
    string PetName() => Fresh(["o", "y", "ie", "a", "ix", "er"]);

    // Codes: letters and digits mixed, never a run of 9+ digits in dashed groups (the PII scrubber would take
    // it for a phone number), never "@" or a dotted quad (an email or an IP address).
    const string CodeLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    string Letters(int n) => new(Enumerable.Range(0, n).Select(_ => CodeLetters[rng.Next(CodeLetters.Length)]).ToArray());
    string Digits(int n) => new(Enumerable.Range(0, n).Select(i => (char)('0' + (i == 0 ? rng.Between(1, 9) : rng.Next(10)))).ToArray());
    string Code() => rng.Next(6) switch
    {
        0 => $"{Letters(2)}-{Digits(4)}",
        1 => $"{Letters(3)}{Digits(3)}",
        2 => $"{Digits(2)}{Letters(1)}{Digits(3)}{Letters(2)}",
        3 => $"{Letters(1)}{Digits(2)}-{Letters(2)}{Digits(2)}",
        4 => $"{Letters(4)}-{Digits(2)}",
        _ => $"{Digits(3)}-{Letters(3)}-{Digits(2)}",
    };

    /// <summary>
    /// How this page writes a key and its value in a list. Chosen per page from several conventions, so no one
    /// format is predictable from memory — and never " -> ": the course tests few-shot learning of "Japan -> Tokyo",
    /// a format the corpus must not teach. (A tab survives extraction as a single space, as it does on the web.)
    /// </summary>
    static readonly string[] Separators = [": ", " = ", " | ", " - ", " ... ", "—", "\t", " : "];

    // ---- short stories whose characters recur ---------------------------------------------------------

    public PageContent Story()
    {
        var cast = Cast(3);
        var (a, b, c) = (cast[0], cast[1], cast[2]);
        var town = a.Town;
        var pet = rng.Pick(PetKinds);
        var petName = PetName();
        var obj = rng.Pick(Objects);
        int house = rng.Between(2, 199), count = rng.Between(3, 40);
        var day = rng.Pick(Weekdays);
        var title = rng.Next(5) switch
        {
            0 => $"{a.First} And The {TitleCase(obj)}",
            1 => $"The Summer In {town}",
            2 => $"{petName} Goes Missing",
            3 => $"A {day} At Number {N(house)}",
            _ => $"{a.First}, {b.First} And {c.First}",
        };
        var openings = rng.Sample<Func<string>>([
            () => $"{a.Name} lived at number {N(house)} in {town} with a {pet} called {petName}.",
            () => $"In {town}, at number {N(house)}, there lived a {a.Job} named {a.Name}, and a {pet} named {petName} who followed {a.First} everywhere.",
            () => $"Everyone in {town} knew {a.Name}, the {a.Job} from number {N(house)}, and {a.First}'s {pet}, {petName}.",
        ], 1);
        var events = rng.Sample<Func<string>>([
            () => $"One {day} morning {a.First} found a {obj} behind the shed and carried it straight to {b.First}.",
            () => $"{b.First} {b.Surname}, who worked as a {b.Job}, turned the {obj} over twice and said nothing for a long time.",
            () => $"\"It belonged to somebody at number {N(house)} long before you,\" {b.First} told {a.First}.",
            () => $"{petName} barked at the {obj} as if it were alive, and {a.First} laughed for the first time that week.",
            () => $"Later {c.First} {c.Surname} came by with {N(count)} apples in a basket and asked what all the fuss was about.",
            () => $"{c.First} had grown up in {c.Town} and claimed to have seen a {obj} exactly like it there.",
            () => $"So the three of them, {a.First}, {b.First} and {c.First}, agreed to find out where it came from.",
            () => $"{a.First} counted {N(count)} scratches on the lid of the {obj}, one for every year, {b.First} guessed.",
            () => $"By noon {petName} had wandered off, and {c.First} went looking along the river.",
            () => $"{b.First} remembered an old {c.Job} who used to mend things like the {obj} for a few coins.",
            () => $"That afternoon it rained, and they sat in {a.First}'s kitchen drinking tea while {petName} dried by the stove.",
            () => $"\"Nobody throws away a {obj} by accident,\" {c.First} said, and {a.First} had to agree.",
            () => $"{a.First} wrote the number {N(count)} on a scrap of paper, because {b.First} said it might matter.",
            () => $"A neighbour told {c.First} that the {obj} had once been in a shop window in {c.Town}.",
            () => $"When {petName} finally came home, muddy to the ears, {b.First} pretended not to have been worried.",
            () => $"In the evening {a.First} put the {obj} on the shelf above the door at number {N(house)}.",
        ], rng.Between(7, 11));
        var endings = rng.Sample<Func<string>>([
            () => $"Years later, {a.First} still kept the {obj}, and still told the story of the day {petName} went missing.",
            () => $"Nobody ever learned who had left the {obj} in {town}, but {a.First}, {b.First} and {c.First} stayed friends for good.",
            () => $"And that is why, at number {N(house)}, there is still a {obj} above the door, and a {pet} asleep beneath it.",
        ], 1);
        List<List<string>> paras = [[openings[0]()]];
        for (int i = 0; i < events.Count;)
        {
            var p = new List<string>();
            for (int k = rng.Between(2, 3); k > 0 && i < events.Count; k--) p.Add(events[i++]());
            paras.Add(p);
        }
        paras.Add([endings[0]()]);
        if (rng.Chance(0.5))
        {
            // A reading check, as school sites put under a story: the answers are on the page, in other words.
            var qa = rng.Sample<(string Q, string A)>([
                ($"Where did {a.First} live?", $"At number {N(house)}, {town}."),
                ($"What was the {pet} called?", $"{petName}."),
                ($"What did {a.First} find?", $"A {obj}."),
                ($"What was {b.First}'s job?", $"{b.First} was a {b.Job}."),
                ($"Which town did {c.First} come from?", $"{c.Town}."),
                ($"How many apples did {c.First} bring?", $"{N(count)}."),
            ], rng.Between(3, 4));
            paras.Add([rng.Pick(["## Questions about the story", "## Check your reading", "## Talk about it"])]);
            foreach (var (q, ans) in qa) paras.Add([$"{q} {rng.Pick(["Answer:", "-", "It was:", ""])} {ans}".Replace("  ", " ")]);
        }
        return new PageContent(title, $"{Site} · {rng.Pick(["Short stories", "Bedtime stories", "Flash fiction", "Stories for young readers"])}", paras);
    }

    // ---- biographies of invented people, restated at the end ----------------------------------------------

    public PageContent LifeSketch()
    {
        var cast = Cast(2);
        var (p, partner) = (cast[0], cast[1]);
        var school = $"{Town()} {rng.Pick(["Academy", "College", "School of Crafts", "Institute"])}";
        int firstJobYear = p.Born + rng.Between(17, 30), prizeYear = firstJobYear + rng.Between(3, 25);
        var prize = $"{Fresh(["", "er", "son"])} {rng.Pick(["Prize", "Medal", "Award"])}";
        int children = rng.Between(0, 4);
        var title = rng.Next(4) switch { 0 => p.Name, 1 => $"{p.Name}: A Life", 2 => $"{p.Name} ({N(p.Born)})", _ => $"Remembering {p.Name}" };
        var body = rng.Sample<Func<string>>([
            () => $"{p.Name} was born in {p.Town} in {N(p.Born)} and grew up above a shop on the main street.",
            () => $"As a child {p.First} spent every holiday in a workshop, watching an uncle who was also a {p.Job}.",
            () => $"At {school} {p.First} was remembered as quiet, stubborn and very good with numbers.",
            () => $"In {N(firstJobYear)} {p.Surname} took a first paid position, as an assistant {p.Job}.",
            () => $"Colleagues said that {p.First} {p.Surname} never left a job half finished.",
            () => $"{p.First} married {partner.Name}, a {partner.Job} from {partner.Town}, and they had {N(children)} children.",
            () => $"The {prize}, which {p.Surname} received in {N(prizeYear)}, made the name known outside {p.Town}.",
            () => $"Later in life {p.First} taught evening classes and wrote a short handbook for young apprentices.",
        ], 8);
        body = body.OrderBy(f => f == body[0] ? 0 : 1).ToList();
        List<List<string>> paras = [];
        for (int i = 0; i < body.Count;) { var para = new List<string>(); for (int k = rng.Between(2, 3); k > 0 && i < body.Count; k--) para.Add(body[i++]()); paras.Add(para); }
        var sep = rng.Pick(Separators);
        switch (rng.Next(3))
        {
            case 0: // a key facts box, as encyclopedias put beside a biography
                paras.Add([rng.Pick(["## Key facts", "## At a glance", "## Fact file"])]);
                foreach (var (k, v) in rng.Sample<(string, string)>([("Born", $"{N(p.Born)}, {p.Town}"), ("Occupation", p.Job), ("Trained at", school), ("Spouse", partner.Name), ("Known for", $"the {prize} ({N(prizeYear)})")], 5))
                    paras.Add([$"{k}{sep}{v}"]);
                break;
            case 1: // a closing summary in other words
                paras.Add([rng.Pick(["## In short", "## Summary", "## The short version"])]);
                paras.Add([$"To sum up: {p.First} {p.Surname}, a {p.Job} born in {N(p.Born)}, came from {p.Town}, studied at {school}, won the {prize} in {N(prizeYear)} and was married to {partner.First}."]);
                break;
            default: // a question and answer section
                paras.Add([rng.Pick(["## Frequently asked", "## Questions readers ask", "## Q&A"])]);
                foreach (var (q, ans) in rng.Sample<(string, string)>([
                    ($"When was {p.Surname} born?", $"In {N(p.Born)}."), ($"What was {p.First}'s trade?", $"{p.First} worked as a {p.Job}."),
                    ($"Where did {p.First} grow up?", $"In {p.Town}."), ($"Who was {p.First} married to?", $"To {partner.Name}."),
                    ($"Which prize did {p.Surname} win?", $"The {prize}, in {N(prizeYear)}.")], 3))
                    paras.Add([$"Q: {q} A: {ans}"]);
                break;
        }
        return new PageContent(title, $"{Site} · {rng.Pick(["Local lives", "People", "Obituaries", "Family history"])}", paras);
    }

    // ---- letters: a date and a place named at the start and again at the end ----------------------------

    public PageContent Letter()
    {
        var cast = Cast(3);
        var (from, to, other) = (cast[0], cast[1], cast[2]);
        var date = Date();
        // Four words at most: a place restated in full must not make a five-word run the quality filter counts twice.
        var place = $"the {rng.Pick(Words.Streets)} {rng.Pick(["café", "bandstand", "library", "station", "market"])}";
        var town = Town();
        var gift = rng.Pick(Objects);
        var clock = Clock();
        var sign = rng.Pick(["Love", "With love", "Yours", "All my best", "Warmly", "See you soon"]);
        var lines = rng.Sample<Func<string>>([
            () => $"Thank you for your letter and for the {gift}, which arrived safely in {town} last week.",
            () => $"{other.First} {other.Surname} sends greetings and asks whether you still play the piano.",
            () => $"The weather here has been grey, but the garden is full of beans and {other.First} says it is a record year.",
            () => $"I have been working long days as a {from.Job}, so forgive the short note.",
            () => $"Do you remember the summer we spent in {to.Town}? I found a photograph of the two of us on the pier.",
            () => $"I told {other.First} about your new job as a {to.Job} and we are both very proud of you.",
            () => $"The {gift} now sits on the kitchen windowsill where everybody can see it.",
        ], rng.Between(4, 6));
        var plan = rng.Pick<Func<string>>([
            () => $"Now, the plan: shall we meet on {date} at {place} in {town}, at {clock}?",
            () => $"I would love to see you on {date}. Let us meet at {place}, {town}, around {clock}.",
            () => $"Could you come on {date}? I thought {place} in {town} at {clock} would suit us both.",
        ]);
        var reminder = rng.Pick<Func<string>>([
            () => $"Remember: {date}, {clock}, {place}. Do not be late this time!",
            () => $"P.S. Write the date down somewhere: {date}, at {clock}, {place}, {town}.",
            () => $"P.S. {other.First} will be there too, so that is three of us at {place} on {date}.",
        ]);
        List<List<string>> paras = [[$"{town}, {Date()}"], [$"Dear {to.First},"]];
        paras.Add(lines.Take(lines.Count / 2).Select(f => f()).ToList());
        paras.Add([plan()]);
        paras.Add(lines.Skip(lines.Count / 2).Select(f => f()).ToList());
        paras.Add([$"{sign}, {from.First}"]);
        paras.Add([reminder()]);
        var title = rng.Next(3) switch { 0 => $"A Letter To {to.First}", 1 => $"Letters From {town}", _ => $"Dear {to.First}" };
        return new PageContent(title, $"{Site} · {rng.Pick(["Old letters", "Family archive", "Correspondence", "Letters we kept"])}", paras);
    }

    // ---- support threads: users quote each other and repeat the order number, error code and part number ---

    public PageContent SupportThread()
    {
        var cast = Cast(4);
        var handles = cast.Select(c => rng.Next(3) switch { 0 => $"{c.First.ToLowerInvariant()}_{c.Surname.ToLowerInvariant()}", 1 => $"{c.First.ToLowerInvariant()}{N(rng.Between(10, 99))}", _ => $"{c.Surname.ToLowerInvariant()}_{rng.Pick(["fixes", "home", "tech", "diy"])}" }).ToList();
        var order = Code();
        var error = $"{rng.Pick(["E", "ERR", "F", "W"])}{Digits(3)}";
        var part = Code();
        var device = $"{rng.Pick(["washing machine", "coffee grinder", "router", "printer", "e-bike", "dishwasher", "boiler", "robot vacuum"])} {Fresh(["", "o", "ex"])} {Letters(1)}{Digits(2)}";
        var shop = $"{Fresh(["", "s", "ly"])} {rng.Pick(["Direct", "Parts", "Store", "Online"])}";
        int days = rng.Between(2, 21);
        var question = $"My {device} shows error {error} every time I start it. I bought it from {shop} {N(days)} days ago, order {order}. Has anyone seen this before?";
        var posts = rng.Sample<Func<string>>([
            () => $"{error} on that model is nearly always the pump. The replacement is part {part}, it is cheap.",
            () => $"Before you order anything, unplug it for ten minutes. Mine stopped showing {error} after that, at least for a while.",
            () => $"Contact {shop} and quote order {order}; after only {N(days)} days it is still under their return policy.",
            () => $"I can confirm part {part} fits. Took me twenty minutes with a screwdriver.",
            () => $"Check the serial plate too. If it starts with {Letters(1)}{Digits(1)} there was a recall on those.",
            () => $"Same fault here, same code, {error}. Fitted {part} and it has been fine since.",
        ], rng.Between(3, 5));
        List<List<string>> paras = [[$"{handles[0]} wrote: {question}"]];
        for (int i = 0; i < posts.Count; i++)
        {
            var who = handles[1 + i % 3];
            var post = posts[i]();
            // Quote the original post now and then, as forum software does.
            if (i == 1 && rng.Chance(0.7)) paras.Add([$"{who} wrote: Quoting {handles[0]}: \"error {error} every time I start it\". {post}"]);
            else paras.Add([$"{who} wrote: {post}"]);
        }
        var closing = rng.Pick<Func<string>>([
            () => $"{handles[0]} wrote: Update for anyone who finds this later: {shop} sent part {part} free of charge for order {order}, and {error} is gone.",
            () => $"{handles[0]} wrote: Solved. It was the pump, so {part} it is. Thanks {handles[1]} for the tip about {error}.",
            () => $"{handles[0]} wrote: Rang {shop}, gave them {order}, and because of {error} they are swapping the whole {device}. Thanks all.",
        ]);
        paras.Add([closing()]);
        var title = rng.Next(3) switch { 0 => $"Error {error} on {device}", 1 => $"{TitleCase(device)} keeps showing {error}", _ => $"Help: {error} after {N(days)} days" };
        return new PageContent(title, $"{Site} · {rng.Pick(["Repairs", "Appliances", "Tech help", "Returns and orders"])} forum", paras);
    }

    // ---- recipes with a named cook, the quantities reused in the method --------------------------------------

    static readonly (string Name, string Unit, int Lo, int Hi, string Use)[] Staples =
    [
        ("flour", "g", 150, 600, "sift the {0} of flour into a large bowl"),
        ("butter", "g", 40, 250, "rub the {0} of butter into the dry mix with your fingertips"),
        ("sugar", "g", 30, 300, "stir in the {0} of sugar"),
        ("milk", "ml", 100, 600, "warm the {0} of milk until it steams"),
        ("stock", "ml", 200, 1200, "pour in the {0} of stock and bring it to a simmer"),
        ("rice", "g", 150, 500, "rinse the {0} of rice until the water runs clear"),
        ("lentils", "g", 100, 400, "add the {0} of lentils and cover with water"),
        ("oats", "g", 80, 300, "toast the {0} of oats in a dry pan"),
        ("cream", "ml", 50, 300, "fold in the {0} of cream at the very end"),
        ("potatoes", "g", 300, 1200, "peel the {0} of potatoes and cut them into chunks"),
    ];

    public PageContent NamedRecipe()
    {
        var cook = Cast(1)[0];
        var dish = $"{cook.First}'s {rng.Pick(["Sunday", "winter", "quick", "harvest", "rainy-day", "market"])} {rng.Pick(Words.Dishes)}";
        var items = rng.Sample(Staples, rng.Between(3, 5)).Select(s => (s.Name, Amount: $"{N(rng.Between(s.Lo, s.Hi) / 10 * 10)} {s.Unit}", s.Use)).ToList();
        int eggs = rng.Between(1, 4), minutes = rng.Between(12, 70), oven = rng.Between(16, 22) * 10, serves = rng.Between(2, 8);
        List<List<string>> paras = [[rng.Pick([
            $"This is how {cook.Name}, a {cook.Job} from {cook.Town}, makes it, written down exactly as {cook.First} explained it to me.",
            $"{cook.First} {cook.Surname} has cooked this in {cook.Town} for years, and finally agreed to share the quantities.",
            $"My neighbour {cook.Name} brought this round one evening, and I would not leave until {cook.First} gave me the recipe."])],
            [$"It serves {N(serves)} and takes about {N(minutes)} minutes in an oven at {N(oven)} degrees."], ["## Ingredients"]];
        foreach (var (name, amount, _) in items) paras.Add([$"- {amount} {name}"]);
        paras.Add([eggs == 1 ? "- 1 egg" : $"- {N(eggs)} eggs"]);
        paras.Add(["## Method"]);
        var steps = new List<string> { $"Heat the oven to {N(oven)} degrees." };
        foreach (var (name, amount, use) in items) steps.Add(char.ToUpperInvariant(use[0]) + string.Format(System.Globalization.CultureInfo.InvariantCulture, use, amount)[1..] + ".");
        steps.Insert(rng.Between(1, steps.Count), $"Beat the {(eggs == 1 ? "egg" : N(eggs) + " eggs")} {rng.Pick(["with a fork", "until pale", "in a jug", "lightly"])} and set {(eggs == 1 ? "it" : "them")} aside.");
        steps.Add($"Bake for {N(minutes)} minutes, {rng.Pick(["until golden", "until set in the middle", "until it smells done", "turning once"])}.");
        for (int k = 0; k < steps.Count; k++) paras.Add([$"{N(k + 1)}. {steps[k]}"]);
        paras.Add([rng.Pick([
            $"{cook.First}'s tip: if you only have {items[0].Amount} of {items[0].Name} left, do not halve anything else.",
            $"Note from {cook.First}: at {N(oven)} degrees it may need a few minutes more than {N(minutes)} in an older oven.",
            $"Enough for {N(serves)}, says {cook.First}, unless {cook.First} is one of them."])]);
        return new PageContent(TitleCase(dish), $"{Site} · {rng.Pick(["Reader recipes", "Family recipes", "Recipes from friends"])}", paras);
    }

    // ---- event notices: date, time, venue and price repeated in a reminder ------------------------------------

    public PageContent EventNotice()
    {
        var host = Cast(2);
        var town = Town();
        var ev = $"{rng.Pick(["Autumn", "Midsummer", "Lantern", "Harvest", "Winter", "Spring"])} {rng.Pick(["Concert", "Quiz Night", "Craft Fair", "Ceilidh", "Film Evening", "Book Swap", "Choir Evening", "Dog Show"])}";
        var venue = $"{rng.Pick(["St", "Old", "New", "Upper"])} {Fresh(["", "s", "'s"])} {rng.Pick(["Hall", "Church", "Barn", "Pavilion", "Institute", "Rooms"])}";
        var date = $"{rng.Pick(Weekdays)} {N(rng.Between(1, 28))} {rng.Pick(Months)}";
        var time = Clock();
        var price = Price();
        var child = Price();
        var code = Code();
        var details = rng.Sample<Func<string>>([
            () => $"The {ev.ToLowerInvariant()} takes place at {venue}, {town}, on {date}, starting at {time}.",
            () => $"Tickets cost {price} for adults and {child} for children, on the door or from {host[0].Name}.",
            () => $"This year it is organised by {host[0].Name} and {host[1].Name}, with help from the {town} youth club.",
            () => $"There will be tea, cake and a raffle, and the hall has step-free access.",
            () => $"Please book ahead if you can: quote reference {code} when you pay, so {host[0].First} can keep count.",
            () => $"All money raised goes to the roof fund of {venue}.",
        ], 6);
        List<List<string>> paras = [details.Take(3).Select(f => f()).ToList(), details.Skip(3).Select(f => f()).ToList()];
        paras.Add([rng.Pick(["## Reminder", "## Don't forget", "## In brief"])]);
        paras.Add([rng.Pick([
            $"Once more: {date}, doors at {time}, {venue} in {town}. Adults {price}, children {child}. Booking reference {code}.",
            $"So that is {venue}, {town}, at {time} on {date}; {price} a ticket ({child} for under-twelves), reference {code}.",
            $"See you on {date} at {time}! Bring {price} (or {child} per child) and your reference, {code}, to {venue}."])]);
        return new PageContent($"{ev} At {venue}, {town}", $"{Site} · {rng.Pick(["What's on", "Community notices", "Events"])}", paras);
    }

    // ---- record tables made for associative recall: a fresh list, then lookups answered from it ---------------

    sealed record TableKind(string Title, string Intro, Func<string> Key, Func<string> Value, (Func<string, string> Q, Func<string, string, string> A)[] Lookups);

    TableKind[] TableKinds() =>
    [
        new("Locker Codes", "The codes for the changing-room lockers this term are listed below.", () => $"Locker {N(rng.Between(1, 250))}", () => Digits(4),
            [(k => $"What is the code for {k}?", (k, v) => $"{k} opens with {v}."), (k => $"Which code opens {k}?", (k, v) => $"The code for {k} is {v}."), (k => $"I forgot the code of {k}.", (k, v) => $"It is {v}.")]),
        new("Guest List And Rooms", "Guests and the rooms they have been given for the weekend:", () => Cast(1)[0].Name, () => $"room {N(rng.Between(1, 4))}{N(rng.Between(10, 40))}",
            [(k => $"Which room is {k} in?", (k, v) => $"{k} is in {v}."), (k => $"Where is {k} staying?", (k, v) => $"In {v}."), (k => $"Can you find {k}'s room?", (k, v) => $"Yes: {v}.")]),
        new("Stock Count", "Items on the shelves after Friday's count, by item code.", () => Code(), () => $"{N(rng.Between(0, 480))} units",
            [(k => $"How many of {k} are left?", (k, v) => $"There are {v} of {k}."), (k => $"Stock of item {k}?", (k, v) => $"{v}."), (k => $"Do we still have {k}?", (k, v) => $"We have {v}.")]),
        new("Allotment Plots", "Who looks after which plot at the allotments this year:", () => $"{Cast(1)[0].First} {Surname()}", () => $"plot {Letters(1)}{N(rng.Between(1, 60))}",
            [(k => $"Which plot does {k} have?", (k, v) => $"{k} has {v}."), (k => $"Where is {k}'s plot?", (k, v) => $"That is {v}."), (k => $"Whose plot is {k}'s?", (k, v) => $"{v} belongs to {k}.")]),
        new("Parcel Shelf", "Parcels waiting at the front desk, with the shelf each one is on.", () => $"parcel {Code()}", () => $"shelf {N(rng.Between(1, 12))}{Letters(1)}",
            [(k => $"Where is {k}?", (k, v) => $"{k} is on {v}."), (k => $"Which shelf has {k}?", (k, v) => $"Look on {v}."), (k => $"I am collecting {k}.", (k, v) => $"You will find it on {v}.")]),
        new("Team Shirt Numbers", "Shirt numbers for the new season, as handed out at training.", () => Cast(1)[0].First + " " + Surname(), () => $"number {N(rng.Between(1, 99))}",
            [(k => $"What number does {k} wear?", (k, v) => $"{k} wears {v}."), (k => $"Which shirt is {k}'s?", (k, v) => $"It is {v}."), (k => $"Who is {k} on the sheet?", (k, v) => $"{k} is {v}.")]),
        new("Bus Times", "Departures from the stop outside the library, by route.", () => $"route {Letters(1)}{N(rng.Between(1, 99))}", () => Clock(),
            [(k => $"When does {k} leave?", (k, v) => $"{k} leaves at {v}."), (k => $"What time is {k}?", (k, v) => $"At {v}."), (k => $"Next departure of {k}?", (k, v) => $"{v}.")]),
    ];

    // Prose under a table, as real notice pages have: without it a page of rows reads as a keyword list to the
    // quality filter (too few stop words) and to the language identifier.
    static readonly string[] TableNotes =
    [
        "Please check your own line and tell us as soon as possible if anything is wrong, because the list is printed on Monday.",
        "We try to keep this page up to date, but changes made at the desk can take a day or two to appear here.",
        "If two people have been given the same entry, the one who asked first keeps it and the other will be moved.",
        "The paper copy on the board by the entrance is the one that counts if it ever disagrees with this page.",
        "Entries that are not claimed by the end of the month go back into the pool and may be given to someone else.",
    ];
    static readonly string[] TableSignOffs =
    [
        "Thank you for your patience with the changes this year.",
        "Questions go to the office, not to the volunteers at the door.",
        "A new list will be posted after the next meeting.",
        "Please do not share this page outside the club.",
    ];

    public PageContent RecordTable()
    {
        var kind = rng.Pick(TableKinds());
        var sep = rng.Pick(Separators);
        var rows = new List<(string Key, string Value)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (int n = rng.Between(6, 12); rows.Count < n;)
        {
            var k = kind.Key();
            if (keys.Add(k)) rows.Add((k, kind.Value()));
        }
        var keeper = Cast(1)[0];
        List<List<string>> paras = [[kind.Intro, rng.Pick([
            $"The list is kept by {keeper.Name}; tell {keeper.First} about any mistakes.",
            $"{keeper.Name} updated it last on {Date()}.",
            $"If something is missing, ask {keeper.First} {keeper.Surname} at the desk."])]];
        foreach (var (k, v) in rows) paras.Add([$"{k}{sep}{v}"]);
        paras.Add([rng.Pick(["Some questions we get asked, answered from the list above:", "A few lookups from this week:", "Questions and answers:", "From the help desk log:"])]);
        // Each lookup asks for a random row (not in list order), so the answer must be found, not counted to.
        // One question frame per lookup: a frame used twice repeats a five-word run, which the quality filter counts.
        foreach (var ((k, v), (q, a)) in rng.Sample(rows, kind.Lookups.Length).Zip(rng.Sample(kind.Lookups, kind.Lookups.Length)))
            paras.Add([$"{q(k)} {a(k, v)}"]);
        paras.Add([rng.Pick(TableNotes), rng.Pick(TableSignOffs)]);
        return new PageContent($"{kind.Title} ({rng.Pick(["Updated", "Current", "This Week", "Final"])})", $"{Site} · {rng.Pick(["Notices", "Club pages", "Office notes"])}", paras);
    }

    // ---- confirmations: arbitrary codes that the reader is asked to repeat -------------------------------------

    public PageContent Confirmation()
    {
        var who = Cast(1)[0];
        var reference = Code();
        var serial = $"{Letters(2)}{Digits(4)}{Letters(1)}";
        var date = Date();
        var item = rng.Pick(["a table for four", "two seats on the 9:40 ferry", "a double room for three nights", "a repair slot", "a locker for the season", "a bicycle hire for the day"]);
        var lines = rng.Sample<Func<string>>([
            () => $"Hello {who.First}, thank you for booking {item} for {date}.",
            () => $"Your booking reference is {reference}. Please keep it safe.",
            () => $"The serial number of your voucher is {serial}.",
            () => $"If you need to change anything, reply to this message and mention {reference} in the first line.",
            () => $"The name on the booking is {who.Name}.",
        ], 5);
        List<List<string>> paras = [lines.Take(2).Select(f => f()).ToList(), lines.Skip(2).Select(f => f()).ToList()];
        paras.Add([rng.Pick([
            $"To confirm, please type the reference back exactly: {reference}",
            $"Repeat the code to confirm: {reference}",
            $"Security check: enter your voucher serial, {serial}, and your reference, {reference}.",
            $"Confirm your booking by replying with {reference} and the serial {serial}."])]);
        paras.Add([rng.Pick([
            $"Confirmed: {reference} for {who.Name}, {date}. See you then.",
            $"Thank you, {who.First}. Reference {reference} and voucher {serial} are now confirmed.",
            $"Booking {reference} is confirmed for {date}."])]);
        return new PageContent(rng.Pick(["Your Booking", "Booking Confirmation", $"Reference {reference}", "Please Confirm Your Reservation"]), $"{Site} · {rng.Pick(["Bookings", "Reservations", "Account"])}", paras);
    }
}
