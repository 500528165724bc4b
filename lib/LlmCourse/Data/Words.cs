namespace LlmCourse.Data;

/// <summary>Word lists and sentence pools the crawl generator writes its pages from.</summary>
static class Words
{
    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static readonly string[] FirstNames = Lines("""
        Mira
        Tobias
        Anneke
        Idris
        Solveig
        Rafael
        Yuki
        Amara
        Casimir
        Leontine
        Dario
        Ingrid
        Kwame
        Odile
        Bartek
        Nadia
        Emeric
        Thandiwe
        Valentin
        Saoirse
        Henrik
        Farida
        Ottilie
        Jonas
        Rosalind
        Teodor
        Ayesha
        Florian
        Marisol
        Ewan
        Liesel
        Ravi
        Constance
        Bruno
        Imogen
        Tariq
        Greta
        Mateo
        Philippa
        Anselm
        Zainab
        Cornelius
        Wilhelmina
        Desmond
        Esperanza
        Lorcan
        Paloma
        Kasimir
        Noor
        Augustin
        """);

    public static readonly string[] LastNames = Lines("""
        Okonkwo
        Lindqvist
        Haverkamp
        Moreau-Vance
        Castellanos
        Brightwater
        Takamura
        Oyelaran
        Wojcik
        Fairbairn
        Delacroix-Hale
        Nakashima
        Abernethy
        Valdivieso
        Kowalczyk
        Thornbury
        Esterhazy
        Mbeki-Rowe
        Quennell
        Ravensworth
        Szabo
        Ashdown
        Petrakis
        Holloway
        Achterberg
        Villanueva
        Mackintosh
        Orlowska
        Pemberton
        Ziegler
        Balogun
        Whitcombe
        Lindgren
        Marchetti
        Osei-Bonsu
        Kerrigan
        Vasquez-Lund
        Blackwood
        Haugen
        Tremaine
        """);

    // Jobs start with a consonant sound, so "works as a ..." never gives away the answer with "an".
    public static readonly string[] Jobs = Lines("""
        glassblower
        baker
        carpenter
        potter
        tailor
        beekeeper
        bookbinder
        cartographer
        clockmaker
        dentist
        ferry pilot
        gardener
        geologist
        harpist
        jeweller
        locksmith
        lighthouse keeper
        marine biologist
        nurse
        painter
        pharmacist
        photographer
        piano tuner
        radio host
        sculptor
        shipwright
        stonemason
        surgeon
        translator
        violin maker
        weaver
        zookeeper
        blacksmith
        librarian
        chemist
        firefighter
        botanist
        cellist
        tea merchant
        watchmaker
        """);

    public static readonly string[] Towns = Lines("""
        Eastbrook
        Millhaven
        Harrowgate
        Larkspur Bay
        Stonebridge
        Wrenfield
        Oakhollow
        Pinecrest
        Marlow Cross
        Fernley
        Ashford Vale
        Brackenridge
        """);

    public static readonly string[] Streets = Lines("""
        Linden Street
        Harbour Road
        Mill Lane
        Orchard Avenue
        Chapel Row
        Birch Close
        Station Road
        Willow Crescent
        """);

    // ---- encyclopedia-style filler -------------------------------------------------------------
    public static readonly string[] GeoFiller = Lines("""
        Capital cities often grew up around a river crossing, a harbour or an old royal court.
        Many capitals are also the largest city of their country, but this is not always true.
        Some countries moved their seat of government to a planned city during the twentieth century.
        The seat of government usually hosts the parliament, the ministries and most foreign embassies.
        Historians note that borders and capitals have changed many times over the centuries.
        A capital city is not always the oldest settlement in a country.
        Population figures for capital regions vary widely depending on how the suburbs are counted.
        Several capitals sit close to a coast, while others lie high in the mountains.
        This article summarises basic facts and does not cover every region in detail.
        Students of geography are encouraged to compare maps from different decades.
        Trade routes, railways and later airports shaped how each capital developed.
        The climate ranges from cool and wet in the north to hot and dry in the south.
        Official languages, currencies and time zones are listed in the reference table below.
        Most national museums and libraries are found in or near the capital.
        Local names for a city can differ from the names used in English texts.
        The list is kept in alphabetical order by the editors and updated when facts change.
        Visitors usually arrive by train or plane and spend a few days in the centre.
        Older atlases sometimes show a different spelling for the same city.
        Mountains, rivers and lakes form many of the natural borders between neighbouring states.
        Each entry below gives the country, its capital and a short note on its history.
        """);

    public static readonly string[] BioFiller = Lines("""
        Friends describe a patient worker who prefers practice to theory.
        The early years were spent in a small town far from any large city.
        A first workshop was set up in a rented garage with borrowed tools.
        Local newspapers wrote about the work several times over the years.
        Apprentices who trained there later opened workshops of their own.
        The family kept a notebook of every commission, now held by a regional archive.
        Public talks at schools and libraries became a regular part of the calendar.
        Critics have praised the careful, unhurried quality of the work.
        An exhibition of selected pieces toured three towns in a single summer.
        Awards followed, although the person in question rarely mentioned them.
        Much of the craft was learned by watching older masters for many years.
        Long walks, old maps and strong tea are listed as favourite things.
        A short documentary about the workshop was filmed by students.
        Colleagues remember long days, early mornings and very few holidays.
        Later interviews returned again and again to the importance of good tools.
        This profile is part of a series about people who keep traditional skills alive.
        The entry was last reviewed by volunteer editors of the local history society.
        """);

    // ---- travel notes -------------------------------------------------------------------------
    public static readonly string[] TravelFiller = Lines("""
        We arrived late in the evening and walked straight to a small café near the station.
        The old town is best explored on foot, early in the morning before the crowds arrive.
        Public transport was cheap, clean and surprisingly easy to understand.
        Pack comfortable shoes, because most museums are spread over several hills.
        Our guide recommended visiting the covered market on a weekday.
        The river walk at sunset was the highlight of the whole trip.
        Do not forget to check which museums close on Mondays.
        A day pass for the trams paid for itself within a few hours.
        We found the locals friendly and patient with our terrible pronunciation.
        Street food here is cheaper and often better than the restaurants in the centre.
        If you only have one day, climb to a viewpoint and simply watch the city.
        The weather changed three times in one afternoon, so bring a light jacket.
        Booking the night train in advance saved us both money and a hotel night.
        Many travellers confuse the largest city with the capital, so read the signs carefully.
        Next time we want to stay longer and see the countryside as well.
        Bookshops near the university sell old maps and postcards for a few coins.
        Our budget for the week was modest, and we still ate very well.
        Travelling in the shoulder season meant shorter queues and lower prices.
        """);

    // ---- personal blogs ---------------------------------------------------------------------------
    public static readonly string[] BlogTopics = Lines("""
        How I finally organised my tiny kitchen
        Ten small habits that changed my mornings
        What I learned from a year of growing tomatoes
        Why I started writing letters again
        A slow weekend in the countryside
        My first attempt at sourdough bread
        Lessons from teaching my father to use a smartphone
        The best advice I got before my first job
        How we planned a birthday party on a budget
        Notes from a rainy camping trip
        Learning to knit at forty
        The joy of walking to work
        """);

    public static readonly string[] BlogFiller = Lines("""
        I did not expect this small change to make such a difference.
        It started, as most of my projects do, with a list written on the back of an envelope.
        My partner laughed at first, but after a week even they were convinced.
        The first attempt was a disaster, and I am not ashamed to admit it.
        If you try this yourself, start small and be patient with yourself.
        Looking back, the hardest part was simply getting started.
        A friend suggested keeping a notebook, and it turned out to be the best tip of all.
        There were days when I wanted to give up, but the routine carried me through.
        I have collected a few practical tips below, in no particular order.
        None of this is expert advice, just what worked for our family.
        The children now remind me when I forget, which is both sweet and slightly annoying.
        By the end of the month the whole thing felt completely normal.
        Thank you to everyone who left kind comments on my last post.
        Let me know in the comments what worked for you.
        I will write a follow-up post once the season is over.
        Honestly, the most important ingredient was a bit of humour.
        Our neighbour joined in halfway through and brought cake, which helped.
        It cost almost nothing, and it gave us something to talk about at dinner.
        """);

    // ---- recipes ----------------------------------------------------------------------------------
    public static readonly string[] Dishes = Lines("""
        lemon barley soup
        roasted carrot salad
        spiced lentil stew
        buttermilk pancakes
        mushroom risotto
        apple and oat crumble
        chickpea flatbreads
        garlic butter green beans
        tomato and bean bake
        honey ginger chicken
        pumpkin bread
        cucumber yogurt dip
        """);

    public static readonly string[] Ingredients = Lines("""
        2 cups of flour
        1 onion, finely chopped
        3 cloves of garlic
        a pinch of salt
        2 tablespoons of olive oil
        1 cup of milk
        250 grams of butter
        4 large carrots
        1 teaspoon of ground cumin
        a handful of fresh parsley
        2 eggs
        1 lemon, juiced
        400 grams of tinned tomatoes
        half a cup of sugar
        1 litre of vegetable stock
        """);

    public static readonly string[] RecipeSteps = Lines("""
        Preheat the oven and line a baking tray with paper.
        Warm the oil in a heavy pan over a medium heat.
        Add the onion and cook gently until soft and golden.
        Stir in the spices and cook for one more minute.
        Pour in the stock and bring everything to a gentle simmer.
        Mix the dry ingredients in a large bowl.
        Whisk the eggs and milk together, then fold them into the bowl.
        Season to taste with salt and a little pepper.
        Bake until the top is golden and a knife comes out clean.
        Leave to rest for ten minutes before serving.
        Scatter the herbs over the top just before serving.
        Leftovers keep in the fridge for up to three days.
        """);

    public static readonly string[] RecipeIntro = Lines("""
        This is the dish my grandmother made every Sunday, and it still tastes like home.
        It is cheap, quick and perfect for a weeknight when nobody wants to cook.
        We make a double batch and freeze half of it for busy days.
        The recipe is forgiving, so feel free to swap the vegetables for whatever you have.
        Serve it warm with good bread and a green salad.
        Children love it, and it is a good way to use up vegetables.
        """);

    // ---- forum threads ---------------------------------------------------------------------------
    public static readonly string[] ForumTopics = Lines("""
        Laptop fan suddenly very loud, any ideas?
        Best way to learn touch typing as an adult?
        Bike chain keeps slipping on the middle gears
        Which houseplants survive a dark flat?
        Router drops the connection every evening
        Tips for a first marathon?
        How do you keep a sourdough starter alive on holiday?
        Old camera lenses on a modern body, worth it?
        Noisy neighbours and thin walls, what helped you?
        Recommendations for a beginner chess book
        """);

    public static readonly string[] ForumReplies = Lines("""
        Had the same problem last year, and cleaning it out fixed it completely.
        Have you tried turning it off and on again? I am only half joking.
        It depends a lot on your budget, but I would start with the cheapest option.
        Check the settings first, because the default is often wrong.
        I would not worry too much, this is very common.
        Same here, following this thread for answers.
        A friend of mine swears by doing it slowly, a little every day.
        Take it to a local shop, they will sort it in ten minutes.
        Thanks everyone, that solved it. Marking this as answered.
        Just to add, the manual actually explains this on page twelve.
        Patience is the answer, it took me about three weeks to get used to it.
        Whatever you do, do not buy the expensive kit before you know you like it.
        """);

    public static readonly string[] ForumUsers = Lines("""
        quietfox
        tea_and_toast
        gearhead77
        mossy_stone
        nightowl
        plainjane
        rustybolt
        cloudberry
        northwind
        pixelpusher
        """);

    // ---- news briefs ------------------------------------------------------------------------------
    public static readonly string[] NewsFiller = Lines("""
        The event drew a larger crowd than the organisers had expected.
        Tickets for the weekend sold out within a few hours.
        The town council approved the plan after a short debate.
        A spokesperson said further details would follow next month.
        Local businesses welcomed the news and expect more visitors.
        The project is funded by a mix of public grants and private donations.
        Volunteers spent the morning setting up stalls in the square.
        Organisers thanked the residents for their patience during the works.
        Weather permitting, the festival will return in the autumn.
        The library will host a small exhibition on the same theme.
        Schools in the area have been invited to take part.
        Entry is free, although donations are welcome.
        """);

    // ---- spam and low quality -------------------------------------------------------------------
    public static readonly string[] SpamKeywords = Lines("""
        cheap watches
        best price
        buy now
        free shipping
        discount code
        replica bags
        win big
        click here
        limited offer
        lose weight fast
        casino bonus
        top deals
        """);
}
