namespace LlmCourse.Data;

/// <summary>
/// Sentences in French, German and Spanish for the crawl's foreign-language pages (the web is not all
/// English; FineWeb keeps only pages its language identifier scores above 0.65 English). These are
/// different sentences from the language samples the identifier is trained on (data/langid/).
/// </summary>
static class ForeignText
{
    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static readonly IReadOnlyDictionary<string, string[]> Titles = new Dictionary<string, string[]>
    {
        ["fr"] = Lines("""
            Un week-end à la campagne
            Notre recette préférée de tarte aux pommes
            Conseils pour bien dormir
            Les marchés du dimanche
            Apprendre à jardiner sur un balcon
            """),
        ["de"] = Lines("""
            Ein Wochenende in den Bergen
            Unser liebstes Rezept für Apfelkuchen
            Tipps für einen ruhigen Schlaf
            Die Wochenmärkte der Stadt
            Gärtnern auf dem Balkon
            """),
        ["es"] = Lines("""
            Un fin de semana en el campo
            Nuestra receta favorita de tarta de manzana
            Consejos para dormir mejor
            Los mercados del domingo
            Aprender a cultivar en el balcón
            """),
    };

    public static readonly IReadOnlyDictionary<string, string[]> Sentences = new Dictionary<string, string[]>
    {
        ["fr"] = Lines("""
            Nous sommes partis tôt le matin pour éviter les embouteillages.
            Le village était calme et les habitants très accueillants.
            Il faut d'abord éplucher les pommes et les couper en fines tranches.
            Ensuite, on mélange la farine, le beurre et une pincée de sel.
            Le marché ouvre à huit heures et ferme vers midi.
            Les enfants ont adoré la promenade le long de la rivière.
            Je vous conseille de réserver votre table à l'avance.
            Le soir, nous avons dîné sur la terrasse en regardant le coucher du soleil.
            Pour bien dormir, il vaut mieux éviter les écrans avant de se coucher.
            Les tomates poussent très bien dans de grands pots au soleil.
            Arrosez les plantes le matin plutôt que le soir.
            Nous reviendrons certainement l'année prochaine avec nos amis.
            Laissez cuire le gâteau pendant quarante minutes dans un four chaud.
            La boulangerie du coin vend le meilleur pain de toute la région.
            """),
        ["de"] = Lines("""
            Wir sind früh am Morgen losgefahren, um dem Verkehr zu entgehen.
            Das Dorf war ruhig und die Leute waren sehr freundlich.
            Zuerst werden die Äpfel geschält und in dünne Scheiben geschnitten.
            Danach vermischt man das Mehl mit der Butter und einer Prise Salz.
            Der Markt öffnet um acht Uhr und schließt gegen Mittag.
            Die Kinder waren von dem Spaziergang am Fluss begeistert.
            Ich empfehle Ihnen, den Tisch rechtzeitig zu reservieren.
            Am Abend haben wir auf der Terrasse gegessen und den Sonnenuntergang genossen.
            Für einen guten Schlaf sollte man abends keine Bildschirme mehr benutzen.
            Tomaten wachsen sehr gut in großen Töpfen in der Sonne.
            Gießen Sie die Pflanzen lieber morgens als abends.
            Wir kommen nächstes Jahr bestimmt mit unseren Freunden wieder.
            Den Kuchen etwa vierzig Minuten im heißen Ofen backen lassen.
            Die Bäckerei an der Ecke verkauft das beste Brot der ganzen Gegend.
            """),
        ["es"] = Lines("""
            Salimos temprano por la mañana para evitar el tráfico.
            El pueblo era tranquilo y la gente muy amable.
            Primero hay que pelar las manzanas y cortarlas en rodajas finas.
            Después se mezcla la harina con la mantequilla y una pizca de sal.
            El mercado abre a las ocho y cierra hacia el mediodía.
            A los niños les encantó el paseo junto al río.
            Les recomiendo reservar la mesa con antelación.
            Por la noche cenamos en la terraza mirando la puesta de sol.
            Para dormir bien, es mejor no usar pantallas antes de acostarse.
            Los tomates crecen muy bien en macetas grandes al sol.
            Riegue las plantas por la mañana y no por la noche.
            Sin duda volveremos el año que viene con nuestros amigos.
            Deje hornear el pastel unos cuarenta minutos en el horno caliente.
            La panadería de la esquina vende el mejor pan de toda la región.
            """),
    };
}
