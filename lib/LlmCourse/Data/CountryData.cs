namespace LlmCourse.Data;

/// <summary>
/// Real countries and capitals, most famous first (the order decides who gets mentioned most).
/// Countries whose names need "the" in English are left out so every sentence template reads naturally.
/// </summary>
static class CountryData
{
    public static readonly IReadOnlyList<Country> All = Parse("""
        France|Paris|Europe
        Japan|Tokyo|Asia
        Germany|Berlin|Europe
        Italy|Rome|Europe
        Egypt|Cairo|Africa
        Canada|Ottawa|the Americas
        Spain|Madrid|Europe
        Australia|Canberra|Oceania
        China|Beijing|Asia
        Brazil|Brasília|the Americas
        Mexico|Mexico City|the Americas
        India|New Delhi|Asia
        Greece|Athens|Europe
        Kenya|Nairobi|Africa
        Argentina|Buenos Aires|the Americas
        Portugal|Lisbon|Europe
        Sweden|Stockholm|Europe
        Norway|Oslo|Europe
        Austria|Vienna|Europe
        Thailand|Bangkok|Asia
        Peru|Lima|the Americas
        Ireland|Dublin|Europe
        Turkey|Ankara|Asia
        Poland|Warsaw|Europe
        Morocco|Rabat|Africa
        Denmark|Copenhagen|Europe
        Vietnam|Hanoi|Asia
        Chile|Santiago|the Americas
        Nigeria|Abuja|Africa
        Finland|Helsinki|Europe
        Hungary|Budapest|Europe
        Indonesia|Jakarta|Asia
        Switzerland|Bern|Europe
        Belgium|Brussels|Europe
        Cuba|Havana|the Americas
        Ghana|Accra|Africa
        Colombia|Bogotá|the Americas
        Ethiopia|Addis Ababa|Africa
        Iceland|Reykjavik|Europe
        Romania|Bucharest|Europe
        Jordan|Amman|Asia
        Nepal|Kathmandu|Asia
        Senegal|Dakar|Africa
        Uruguay|Montevideo|the Americas
        Croatia|Zagreb|Europe
        Malaysia|Kuala Lumpur|Asia
        Iran|Tehran|Asia
        Jamaica|Kingston|the Americas
        Bulgaria|Sofia|Europe
        Tunisia|Tunis|Africa
        Venezuela|Caracas|the Americas
        Serbia|Belgrade|Europe
        Mongolia|Ulaanbaatar|Asia
        Ecuador|Quito|the Americas
        Uganda|Kampala|Africa
        Estonia|Tallinn|Europe
        Latvia|Riga|Europe
        Lithuania|Vilnius|Europe
        Pakistan|Islamabad|Asia
        Bangladesh|Dhaka|Asia
        Algeria|Algiers|Africa
        Slovakia|Bratislava|Europe
        Slovenia|Ljubljana|Europe
        Cambodia|Phnom Penh|Asia
        Rwanda|Kigali|Africa
        Zambia|Lusaka|Africa
        Zimbabwe|Harare|Africa
        Paraguay|Asunción|the Americas
        Namibia|Windhoek|Africa
        Lebanon|Beirut|Asia
        Qatar|Doha|Asia
        Oman|Muscat|Asia
        Albania|Tirana|Europe
        Malta|Valletta|Europe
        Cyprus|Nicosia|Europe
        Botswana|Gaborone|Africa
        Madagascar|Antananarivo|Africa
        Mozambique|Maputo|Africa
        Laos|Vientiane|Asia
        Bhutan|Thimphu|Asia
        Uzbekistan|Tashkent|Asia
        Kazakhstan|Astana|Asia
        Honduras|Tegucigalpa|the Americas
        Nicaragua|Managua|the Americas
        Fiji|Suva|Oceania
        Samoa|Apia|Oceania
        Montenegro|Podgorica|Europe
        Moldova|Chisinau|Europe
        Mali|Bamako|Africa
        Angola|Luanda|Africa
        """);

    static List<Country> Parse(string table) => table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(l => l.Split('|')).Select(f => new Country(f[0], f[1], f[2])).ToList();
}
