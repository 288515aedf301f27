"""Static vocabularies of the demo-data generator: French geography, NAF codes, legal forms, job titles,
occupations, education levels, products. Each entry carries the answer a careful human would give, which the
generator writes into the truth files (tests/fixtures/demo_truth)."""
from __future__ import annotations

# ---------------------------------------------------------------------------------------------------------------
# Geography: (département code, name, region, is_coastal, is_mountain, population in thousands, "City:postal|...").
# Coastal / mountain flags follow the project's département lookup; cities are real with a real postal code.
# ---------------------------------------------------------------------------------------------------------------
DEPARTEMENTS = [
    ('01', 'Ain', 'Auvergne-Rhône-Alpes', False, True, 660, 'Bourg-en-Bresse:01000|Oyonnax:01100|Ambérieu-en-Bugey:01500|Gex:01170'),
    ('02', 'Aisne', 'Hauts-de-France', False, False, 530, 'Laon:02000|Saint-Quentin:02100|Soissons:02200|Château-Thierry:02400'),
    ('03', 'Allier', 'Auvergne-Rhône-Alpes', False, False, 335, 'Moulins:03000|Montluçon:03100|Vichy:03200'),
    ('04', 'Alpes-de-Haute-Provence', "Provence-Alpes-Côte d'Azur", False, True, 165, 'Digne-les-Bains:04000|Manosque:04100|Barcelonnette:04400|Sisteron:04200'),
    ('05', 'Hautes-Alpes', "Provence-Alpes-Côte d'Azur", False, True, 141, 'Gap:05000|Briançon:05100|Embrun:05200|La Salle-les-Alpes:05240'),
    ('06', 'Alpes-Maritimes', "Provence-Alpes-Côte d'Azur", True, True, 1100, 'Nice:06000|Nice:06100|Nice:06300|Cannes:06400|Antibes:06600|Grasse:06130|Menton:06500'),
    ('07', 'Ardèche', 'Auvergne-Rhône-Alpes', False, True, 330, 'Privas:07000|Aubenas:07200|Annonay:07100'),
    ('08', 'Ardennes', 'Grand Est', False, False, 270, 'Charleville-Mézières:08000|Sedan:08200'),
    ('09', 'Ariège', 'Occitanie', False, True, 155, 'Foix:09000|Pamiers:09100|Saint-Girons:09200'),
    ('10', 'Aube', 'Grand Est', False, False, 310, 'Troyes:10000|Romilly-sur-Seine:10100'),
    ('11', 'Aude', 'Occitanie', True, True, 375, 'Carcassonne:11000|Narbonne:11100|Gruissan:11430|Limoux:11300'),
    ('12', 'Aveyron', 'Occitanie', False, True, 280, 'Rodez:12000|Millau:12100|Villefranche-de-Rouergue:12200'),
    ('13', 'Bouches-du-Rhône', "Provence-Alpes-Côte d'Azur", True, False, 2040, 'Marseille:13001|Marseille:13006|Marseille:13008|Marseille:13013|Aix-en-Provence:13100|Arles:13200|La Ciotat:13600|Martigues:13500|Cassis:13260'),
    ('14', 'Calvados', 'Normandie', True, False, 695, 'Caen:14000|Lisieux:14100|Bayeux:14400|Deauville:14800|Honfleur:14600'),
    ('15', 'Cantal', 'Auvergne-Rhône-Alpes', False, True, 144, 'Aurillac:15000|Saint-Flour:15100|Mauriac:15200'),
    ('16', 'Charente', 'Nouvelle-Aquitaine', False, False, 350, 'Angoulême:16000|Cognac:16100'),
    ('17', 'Charente-Maritime', 'Nouvelle-Aquitaine', True, False, 655, 'La Rochelle:17000|Rochefort:17300|Royan:17200|Saintes:17100|Saint-Martin-de-Ré:17410'),
    ('18', 'Cher', 'Centre-Val de Loire', False, False, 300, 'Bourges:18000|Vierzon:18100'),
    ('19', 'Corrèze', 'Nouvelle-Aquitaine', False, True, 240, 'Tulle:19000|Brive-la-Gaillarde:19100|Ussel:19200'),
    ('2A', 'Corse-du-Sud', 'Corse', True, True, 160, 'Ajaccio:20000|Ajaccio:20090|Porto-Vecchio:20137|Propriano:20110|Bonifacio:20169|Sartène:20100'),
    ('2B', 'Haute-Corse', 'Corse', True, True, 180, "Bastia:20200|Bastia:20600|Corte:20250|Calvi:20260|L'Île-Rousse:20220|Saint-Florent:20217"),
    ('21', "Côte-d'Or", 'Bourgogne-Franche-Comté', False, False, 535, 'Dijon:21000|Beaune:21200|Montbard:21500'),
    ('22', "Côtes-d'Armor", 'Bretagne', True, False, 600, 'Saint-Brieuc:22000|Lannion:22300|Dinan:22100|Perros-Guirec:22700|Paimpol:22500'),
    ('23', 'Creuse', 'Nouvelle-Aquitaine', False, True, 115, 'Guéret:23000|Aubusson:23200'),
    ('24', 'Dordogne', 'Nouvelle-Aquitaine', False, False, 413, 'Périgueux:24000|Bergerac:24100|Sarlat-la-Canéda:24200'),
    ('25', 'Doubs', 'Bourgogne-Franche-Comté', False, True, 545, 'Besançon:25000|Montbéliard:25200|Pontarlier:25300|Morteau:25500'),
    ('26', 'Drôme', 'Auvergne-Rhône-Alpes', False, True, 520, 'Valence:26000|Montélimar:26200|Romans-sur-Isère:26100'),
    ('27', 'Eure', 'Normandie', True, False, 600, 'Évreux:27000|Vernon:27200|Louviers:27400'),
    ('28', 'Eure-et-Loir', 'Centre-Val de Loire', False, False, 430, 'Chartres:28000|Dreux:28100|Châteaudun:28200'),
    ('29', 'Finistère', 'Bretagne', True, False, 915, 'Quimper:29000|Brest:29200|Morlaix:29600|Concarneau:29900|Douarnenez:29100|Crozon:29160'),
    ('30', 'Gard', 'Occitanie', True, True, 750, 'Nîmes:30000|Alès:30100|Le Grau-du-Roi:30240|Uzès:30700'),
    ('31', 'Haute-Garonne', 'Occitanie', False, True, 1420, 'Toulouse:31000|Toulouse:31100|Toulouse:31200|Toulouse:31400|Toulouse:31500|Saint-Gaudens:31800|Colomiers:31770|Bagnères-de-Luchon:31110'),
    ('32', 'Gers', 'Occitanie', False, False, 190, 'Auch:32000|Condom:32100'),
    ('33', 'Gironde', 'Nouvelle-Aquitaine', True, False, 1650, 'Bordeaux:33000|Bordeaux:33100|Bordeaux:33300|Mérignac:33700|Pessac:33600|Arcachon:33120|Lacanau:33680|Libourne:33500'),
    ('34', 'Hérault', 'Occitanie', True, True, 1200, 'Montpellier:34000|Montpellier:34070|Montpellier:34090|Sète:34200|Béziers:34500|Agde:34300|Lodève:34700'),
    ('35', 'Ille-et-Vilaine', 'Bretagne', True, False, 1090, 'Rennes:35000|Rennes:35200|Rennes:35700|Saint-Malo:35400|Fougères:35300|Vitré:35500|Cancale:35260'),
    ('36', 'Indre', 'Centre-Val de Loire', False, False, 218, 'Châteauroux:36000|Issoudun:36100'),
    ('37', 'Indre-et-Loire', 'Centre-Val de Loire', False, False, 610, 'Tours:37000|Tours:37100|Tours:37200|Amboise:37400|Chinon:37500'),
    ('38', 'Isère', 'Auvergne-Rhône-Alpes', False, True, 1270, 'Grenoble:38000|Grenoble:38100|Vienne:38200|Voiron:38500|Bourgoin-Jallieu:38300|Huez:38750|Les Deux Alpes:38860'),
    ('39', 'Jura', 'Bourgogne-Franche-Comté', False, True, 258, 'Lons-le-Saunier:39000|Dole:39100|Saint-Claude:39200|Les Rousses:39220'),
    ('40', 'Landes', 'Nouvelle-Aquitaine', True, False, 415, 'Mont-de-Marsan:40000|Dax:40100|Biscarrosse:40600|Soorts-Hossegor:40150|Mimizan:40200'),
    ('41', 'Loir-et-Cher', 'Centre-Val de Loire', False, False, 330, 'Blois:41000|Vendôme:41100|Romorantin-Lanthenay:41200'),
    ('42', 'Loire', 'Auvergne-Rhône-Alpes', False, True, 765, 'Saint-Étienne:42000|Saint-Étienne:42100|Roanne:42300|Montbrison:42600'),
    ('43', 'Haute-Loire', 'Auvergne-Rhône-Alpes', False, True, 227, 'Le Puy-en-Velay:43000|Yssingeaux:43200|Brioude:43100'),
    ('44', 'Loire-Atlantique', 'Pays de la Loire', True, False, 1450, 'Nantes:44000|Nantes:44100|Nantes:44200|Nantes:44300|Saint-Nazaire:44600|La Baule-Escoublac:44500|Pornic:44210'),
    ('45', 'Loiret', 'Centre-Val de Loire', False, False, 680, 'Orléans:45000|Montargis:45200|Pithiviers:45300'),
    ('46', 'Lot', 'Occitanie', False, False, 174, 'Cahors:46000|Figeac:46100|Gourdon:46300'),
    ('47', 'Lot-et-Garonne', 'Nouvelle-Aquitaine', False, False, 330, 'Agen:47000|Villeneuve-sur-Lot:47300|Marmande:47200'),
    ('48', 'Lozère', 'Occitanie', False, True, 76, 'Mende:48000|Marvejols:48100|Florac Trois Rivières:48400'),
    ('49', 'Maine-et-Loire', 'Pays de la Loire', False, False, 820, 'Angers:49000|Angers:49100|Cholet:49300|Saumur:49400'),
    ('50', 'Manche', 'Normandie', True, False, 495, 'Saint-Lô:50000|Cherbourg-en-Cotentin:50100|Granville:50400|Avranches:50300|Coutances:50200'),
    ('51', 'Marne', 'Grand Est', False, False, 565, 'Reims:51100|Châlons-en-Champagne:51000|Épernay:51200'),
    ('52', 'Haute-Marne', 'Grand Est', False, False, 172, 'Chaumont:52000|Saint-Dizier:52100|Langres:52200'),
    ('53', 'Mayenne', 'Pays de la Loire', False, False, 307, 'Laval:53000|Mayenne:53100|Château-Gontier-sur-Mayenne:53200'),
    ('54', 'Meurthe-et-Moselle', 'Grand Est', False, False, 733, 'Nancy:54000|Nancy:54100|Lunéville:54300|Toul:54200'),
    ('55', 'Meuse', 'Grand Est', False, False, 184, 'Bar-le-Duc:55000|Verdun:55100'),
    ('56', 'Morbihan', 'Bretagne', True, False, 760, 'Vannes:56000|Lorient:56100|Quiberon:56170|Auray:56400|Carnac:56340|Pontivy:56300'),
    ('57', 'Moselle', 'Grand Est', False, False, 1045, 'Metz:57000|Metz:57050|Thionville:57100|Forbach:57600|Sarreguemines:57200'),
    ('58', 'Nièvre', 'Bourgogne-Franche-Comté', False, False, 203, 'Nevers:58000|Cosne-Cours-sur-Loire:58200'),
    ('59', 'Nord', 'Hauts-de-France', True, False, 2600, "Lille:59000|Lille:59800|Roubaix:59100|Tourcoing:59200|Dunkerque:59140|Valenciennes:59300|Villeneuve-d'Ascq:59650|Douai:59500"),
    ('60', 'Oise', 'Hauts-de-France', False, False, 830, 'Beauvais:60000|Compiègne:60200|Creil:60100|Senlis:60300'),
    ('61', 'Orne', 'Normandie', False, False, 280, 'Alençon:61000|Flers:61100|Argentan:61200'),
    ('62', 'Pas-de-Calais', 'Hauts-de-France', True, False, 1460, 'Arras:62000|Calais:62100|Boulogne-sur-Mer:62200|Le Touquet-Paris-Plage:62520|Lens:62300|Saint-Omer:62500'),
    ('63', 'Puy-de-Dôme', 'Auvergne-Rhône-Alpes', False, True, 665, 'Clermont-Ferrand:63000|Clermont-Ferrand:63100|Riom:63200|Thiers:63300|Le Mont-Dore:63240'),
    ('64', 'Pyrénées-Atlantiques', 'Nouvelle-Aquitaine', True, True, 690, 'Pau:64000|Bayonne:64100|Biarritz:64200|Saint-Jean-de-Luz:64500|Oloron-Sainte-Marie:64400|Anglet:64600'),
    ('65', 'Hautes-Pyrénées', 'Occitanie', False, True, 230, 'Tarbes:65000|Lourdes:65100|Bagnères-de-Bigorre:65200|Saint-Lary-Soulan:65170'),
    ('66', 'Pyrénées-Orientales', 'Occitanie', True, True, 480, 'Perpignan:66000|Perpignan:66100|Argelès-sur-Mer:66700|Font-Romeu-Odeillo-Via:66120|Collioure:66190|Canet-en-Roussillon:66140'),
    ('67', 'Bas-Rhin', 'Grand Est', False, True, 1140, 'Strasbourg:67000|Strasbourg:67100|Strasbourg:67200|Haguenau:67500|Sélestat:67600|Saverne:67700'),
    ('68', 'Haut-Rhin', 'Grand Est', False, True, 765, 'Colmar:68000|Mulhouse:68100|Mulhouse:68200|Saint-Louis:68300'),
    ('69', 'Rhône', 'Auvergne-Rhône-Alpes', False, False, 1880, 'Lyon:69001|Lyon:69002|Lyon:69003|Lyon:69006|Lyon:69007|Lyon:69009|Villeurbanne:69100|Vénissieux:69200|Villefranche-sur-Saône:69400'),
    ('70', 'Haute-Saône', 'Bourgogne-Franche-Comté', False, False, 233, 'Vesoul:70000|Lure:70200|Gray:70100'),
    ('71', 'Saône-et-Loire', 'Bourgogne-Franche-Comté', False, False, 550, 'Mâcon:71000|Chalon-sur-Saône:71100|Le Creusot:71200|Autun:71400'),
    ('72', 'Sarthe', 'Pays de la Loire', False, False, 565, 'Le Mans:72000|Le Mans:72100|La Flèche:72200|Sablé-sur-Sarthe:72300'),
    ('73', 'Savoie', 'Auvergne-Rhône-Alpes', False, True, 435, "Chambéry:73000|Albertville:73200|Aix-les-Bains:73100|Bourg-Saint-Maurice:73700|Val-d'Isère:73150|Courchevel:73120"),
    ('74', 'Haute-Savoie', 'Auvergne-Rhône-Alpes', False, True, 830, 'Annecy:74000|Chamonix-Mont-Blanc:74400|Thonon-les-Bains:74200|Annemasse:74100|Megève:74120|Évian-les-Bains:74500'),
    ('75', 'Paris', 'Île-de-France', False, False, 2130, 'Paris:75001|Paris:75002|Paris:75003|Paris:75004|Paris:75005|Paris:75006|Paris:75007|Paris:75008|Paris:75009|Paris:75010|Paris:75011|Paris:75012|Paris:75013|Paris:75014|Paris:75015|Paris:75016|Paris:75017|Paris:75018|Paris:75019|Paris:75020'),
    ('76', 'Seine-Maritime', 'Normandie', True, False, 1250, 'Rouen:76000|Rouen:76100|Le Havre:76600|Dieppe:76200|Fécamp:76400|Étretat:76790'),
    ('77', 'Seine-et-Marne', 'Île-de-France', False, False, 1430, 'Melun:77000|Meaux:77100|Chelles:77500|Fontainebleau:77300|Serris:77700'),
    ('78', 'Yvelines', 'Île-de-France', False, False, 1450, 'Versailles:78000|Saint-Germain-en-Laye:78100|Mantes-la-Jolie:78200|Poissy:78300|Rambouillet:78120'),
    ('79', 'Deux-Sèvres', 'Nouvelle-Aquitaine', False, False, 375, 'Niort:79000|Bressuire:79300|Parthenay:79200'),
    ('80', 'Somme', 'Hauts-de-France', True, False, 570, 'Amiens:80000|Amiens:80080|Abbeville:80100|Saint-Valery-sur-Somme:80230'),
    ('81', 'Tarn', 'Occitanie', False, True, 390, 'Albi:81000|Castres:81100|Gaillac:81600'),
    ('82', 'Tarn-et-Garonne', 'Occitanie', False, False, 262, 'Montauban:82000|Castelsarrasin:82100|Moissac:82200'),
    ('83', 'Var', "Provence-Alpes-Côte d'Azur", True, False, 1080, 'Toulon:83000|Toulon:83100|Toulon:83200|Fréjus:83600|Hyères:83400|Saint-Tropez:83990|Draguignan:83300'),
    ('84', 'Vaucluse', "Provence-Alpes-Côte d'Azur", False, False, 560, 'Avignon:84000|Carpentras:84200|Orange:84100|Cavaillon:84300'),
    ('85', 'Vendée', 'Pays de la Loire', True, False, 690, "La Roche-sur-Yon:85000|Les Sables-d'Olonne:85100|Saint-Jean-de-Monts:85160|Challans:85300|Noirmoutier-en-l'Île:85330"),
    ('86', 'Vienne', 'Nouvelle-Aquitaine', False, False, 440, 'Poitiers:86000|Châtellerault:86100|Loudun:86200'),
    ('87', 'Haute-Vienne', 'Nouvelle-Aquitaine', False, False, 372, 'Limoges:87000|Limoges:87100|Saint-Junien:87200'),
    ('88', 'Vosges', 'Grand Est', False, True, 362, 'Épinal:88000|Saint-Dié-des-Vosges:88100|Gérardmer:88400|Remiremont:88200'),
    ('89', 'Yonne', 'Bourgogne-Franche-Comté', False, False, 335, 'Auxerre:89000|Sens:89100|Avallon:89200'),
    ('90', 'Territoire de Belfort', 'Bourgogne-Franche-Comté', False, True, 141, 'Belfort:90000|Delle:90100'),
    ('91', 'Essonne', 'Île-de-France', False, False, 1300, 'Évry-Courcouronnes:91000|Massy:91300|Palaiseau:91120|Corbeil-Essonnes:91100|Étampes:91150'),
    ('92', 'Hauts-de-Seine', 'Île-de-France', False, False, 1630, 'Nanterre:92000|Boulogne-Billancourt:92100|Courbevoie:92400|Issy-les-Moulineaux:92130|Neuilly-sur-Seine:92200|Levallois-Perret:92300'),
    ('93', 'Seine-Saint-Denis', 'Île-de-France', False, False, 1660, 'Bobigny:93000|Saint-Denis:93200|Montreuil:93100|Aubervilliers:93300|Pantin:93500'),
    ('94', 'Val-de-Marne', 'Île-de-France', False, False, 1410, 'Créteil:94000|Vitry-sur-Seine:94400|Vincennes:94300|Ivry-sur-Seine:94200|Saint-Maur-des-Fossés:94100'),
    ('95', "Val-d'Oise", 'Île-de-France', False, False, 1250, 'Cergy:95000|Argenteuil:95100|Pontoise:95300|Sarcelles:95200'),
    ('971', 'Guadeloupe', 'Guadeloupe', True, True, 385, 'Basse-Terre:97100|Pointe-à-Pitre:97110|Les Abymes:97139|Le Gosier:97190|Sainte-Anne:97180'),
    ('972', 'Martinique', 'Martinique', True, True, 360, 'Fort-de-France:97200|Le Lamentin:97232|Schœlcher:97233|Le Robert:97231'),
    ('973', 'Guyane', 'Guyane', True, False, 285, 'Cayenne:97300|Kourou:97310|Saint-Laurent-du-Maroni:97320'),
    ('974', 'La Réunion', 'La Réunion', True, True, 870, 'Saint-Denis:97400|Saint-Pierre:97410|Saint-Paul:97460|Le Tampon:97430|Saint-Gilles-les-Bains:97434'),
    ('976', 'Mayotte', 'Mayotte', True, False, 300, 'Mamoudzou:97600|Dzaoudzi:97615|Koungou:97690'),
]

OVERSEAS_TIMEZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "976": "Indian/Mayotte",
}

# Foreign addresses: (country_code, city, postal_code, timezone). No French département.
FOREIGN_PLACES = [
    ("BE", "Bruxelles", "1000", "Europe/Brussels"),
    ("BE", "Liège", "4000", "Europe/Brussels"),
    ("BE", "Namur", "5000", "Europe/Brussels"),
    ("CH", "Genève", "1201", "Europe/Zurich"),
    ("CH", "Lausanne", "1003", "Europe/Zurich"),
    ("LU", "Luxembourg", "L-1150", "Europe/Luxembourg"),
]

# ---------------------------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------------------------
# NAF rév. 2 codes of private companies: (code, weight, name patterns, revenue per employee in k€, hours kind).
# Name patterns: {nom} last name, {prenom} first name, {city}, {word} brand-like word, {acr} acronym.
PRIVATE_NAF = [
    ("47.11B", 2.0, ["Épicerie {nom}", "Alimentation {nom}", "Proxi {city}"], 260, "shop"),
    ("47.11D", 1.2, ["{nom} Distribution", "Super {nom}", "Marché {nom}"], 300, "supermarket"),
    ("47.71Z", 2.0, ["Boutique {prenom}", "{nom} Mode", "L'Atelier de {prenom}"], 180, "shop"),
    ("47.59A", 1.0, ["Meubles {nom}", "{nom} Intérieurs"], 220, "shop"),
    ("47.41Z", 1.5, ["{nom} Informatique", "Micro {city}", "{word} Store"], 260, "shop"),
    ("47.73Z", 1.4, ["Pharmacie {nom}", "Pharmacie du Centre", "Pharmacie de la Gare"], 320, "shop"),
    ("46.51Z", 1.5, ["{nom} Distribution Informatique", "{acr} Solutions"], 450, "office"),
    ("46.90Z", 0.8, ["{nom} Négoce", "Comptoir {nom}"], 400, "office"),
    ("45.11Z", 1.2, ["{nom} Automobiles", "Garage {nom}"], 380, "garage"),
    ("45.20A", 1.4, ["Garage du Centre", "Garage {nom}", "Auto Service {city}"], 120, "garage"),
    ("41.20A", 1.8, ["{nom} Construction", "Maisons {nom}"], 160, "site"),
    ("43.21A", 2.4, ["{nom} Électricité", "Élec {nom}", "{acr} Électricité"], 110, "site"),
    ("43.22A", 2.0, ["{nom} Plomberie Chauffage", "{nom} Thermique"], 110, "site"),
    ("43.32A", 1.4, ["Menuiserie {nom}", "{nom} Menuiserie"], 110, "site"),
    ("43.99C", 1.8, ["{nom} Bâtiment", "Maçonnerie {nom}"], 120, "site"),
    ("62.01Z", 4.0, ["{nom} Digital", "{acr} Software", "{word}Tech", "{word} Labs"], 120, "office"),
    ("62.02A", 3.4, ["{nom} Consulting", "{acr} Conseil", "{word} IT"], 140, "office"),
    ("62.03Z", 0.8, ["{acr} Infogérance", "{nom} Services IT"], 130, "office"),
    ("63.11Z", 0.9, ["{word} Cloud", "{acr} Data"], 180, "office"),
    ("58.29C", 0.9, ["{word} Software", "Éditions {nom} Logiciels"], 160, "office"),
    ("71.11Z", 3.0, ["Cabinet d'architecture {nom}", "{nom} Architectes", "Atelier {nom} Architecture"], 110, "office"),
    ("71.12B", 1.8, ["{nom} Ingénierie", "Bureau d'études {nom}"], 130, "office"),
    ("69.20Z", 2.6, ["Cabinet {nom} Expertise Comptable", "{nom} & Associés", "{acr} Audit"], 100, "office"),
    ("69.10Z", 1.8, ["{nom} Avocats", "Cabinet {nom}", "{nom}, {nom2} & Associés"], 150, "office"),
    ("70.22Z", 2.8, ["{nom} Conseil", "{acr} Partners", "{word} Stratégie"], 160, "office"),
    ("73.11Z", 1.4, ["Agence {word}", "{word} Communication"], 140, "office"),
    ("64.19Z", 0.9, ["Banque {nom}", "Crédit {word}"], 300, "bank"),
    ("66.12Z", 0.7, ["{nom} Gestion Privée", "{acr} Finance"], 350, "office"),
    ("66.22Z", 1.4, ["{nom} Assurances", "Cabinet {nom} Courtage"], 150, "office"),
    ("86.21Z", 1.0, ["Cabinet médical {nom}", "Centre médical du Parc"], 110, "clinic"),
    ("86.23Z", 0.9, ["Cabinet dentaire {nom}", "Centre dentaire {city}"], 120, "clinic"),
    ("86.10Z", 0.4, ["Clinique Saint-{prenom}", "Clinique du Parc"], 90, "h24"),
    ("86.90A", 0.6, ["Ambulances {nom}"], 70, "h24"),
    ("87.10A", 0.6, ["EHPAD Les Tilleuls", "Résidence Les Glycines", "EHPAD {nom}"], 60, "h24"),
    ("75.00Z", 0.6, ["Clinique vétérinaire {nom}", "Vétérinaires du {city}"], 110, "clinic"),
    ("56.10A", 3.4, ["Restaurant {nom}", "Le Bistrot de {prenom}", "Brasserie du Commerce", "Le \"Petit\" Bouchon"], 70, "restaurant"),
    ("56.10C", 1.4, ["{word} Burger", "Pizzeria {prenom}", "Crêperie {prenom}"], 80, "restaurant"),
    ("56.30Z", 0.9, ["Café du Centre", "Bar {nom}", "Le Comptoir de {prenom}"], 70, "bar"),
    ("55.10Z", 1.4, ["Hôtel {nom}", "Hôtel de la Plage", "Hôtel du Lac", "Hôtel des Alpes"], 90, "h24"),
    ("10.71C", 2.4, ["Boulangerie {nom}", "Au Fournil de {prenom}", "Boulangerie-Pâtisserie {nom}"], 90, "bakery"),
    ("11.02B", 0.9, ["Domaine {nom}", "Château {nom}", "Vignobles {nom}"], 200, "office"),
    ("25.62B", 0.9, ["{nom} Mécanique", "Usinage {nom}"], 140, "factory"),
    ("28.29B", 0.6, ["{nom} Industries", "{acr} Machines"], 200, "factory"),
    ("20.59Z", 0.4, ["{acr} Chimie", "{nom} Chemicals"], 300, "factory"),
    ("29.32Z", 0.4, ["{acr} Automotive", "{nom} Équipements"], 250, "factory"),
    ("33.12Z", 0.6, ["{nom} Maintenance Industrielle"], 130, "factory"),
    ("49.41A", 1.4, ["Transports {nom}", "{nom} Logistique"], 140, "office"),
    ("52.29A", 0.5, ["{acr} Fret", "{nom} Express"], 200, "office"),
    ("49.32Z", 0.6, ["Taxi {nom}", "Taxis du {city}"], 60, "h24"),
    ("81.21Z", 1.1, ["{nom} Propreté", "{acr} Nettoyage"], 40, "office"),
    ("78.20Z", 0.6, ["{nom} Intérim", "{acr} Emploi"], 60, "office"),
    ("80.10Z", 0.5, ["{nom} Sécurité", "{acr} Protection"], 50, "h24"),
    ("68.20B", 0.9, ["SCI {nom}", "SCI Les Lilas"], 300, "none"),
    ("68.31Z", 1.4, ["{nom} Immobilier", "Agence immobilière du Centre"], 150, "shop"),
    ("01.11Z", 0.6, ["EARL {nom}", "GAEC des {nom}s", "Ferme {nom}"], 150, "none"),
    ("01.21Z", 0.6, ["Domaine {nom}", "Vignoble {nom}"], 150, "none"),
    ("85.59A", 1.0, ["{nom} Formation", "{acr} Formations"], 90, "office"),
    ("85.53Z", 0.6, ["Auto-école {nom}", "Auto-école du Centre"], 60, "shop"),
    ("96.02A", 1.8, ["{prenom} Coiffure", "Salon {prenom}", "L'Hair de {prenom}"], 50, "salon"),
    ("93.13Z", 0.6, ["{word} Fitness", "Salle de sport {word}"], 60, "gym"),
    ("95.11Z", 0.6, ["{nom} Dépannage Informatique", "SOS PC {city}"], 70, "shop"),
    ("35.11Z", 0.3, ["{nom} Énergie", "{word} Solaire"], 500, "office"),
    ("38.11Z", 0.3, ["{nom} Environnement", "{acr} Recyclage"], 150, "office"),
    ("61.20Z", 0.3, ["{acr} Télécom", "{word} Mobile"], 400, "office"),
    ("74.10Z", 0.7, ["Studio {prenom}", "{word} Design"], 80, "office"),
    ("82.11Z", 0.5, ["{nom} Services", "{acr} Secrétariat"], 70, "office"),
]

# NAF codes of large groups (headquarters): any private activity except holding.
GROUP_NAF = ["47.11F", "62.02A", "64.19Z", "41.20A", "46.51Z", "49.41A", "29.10Z", "61.10Z", "35.11Z", "10.11Z",
             "65.12Z", "70.10Z", "47.19B", "52.10B", "86.10Z"]
GROUP_NAME_PATTERNS = ["Groupe {nom}", "{acr} Groupe", "{nom} Industries", "{word} International", "{nom} Holding Europe"]

SOLE_TRADER_NAF = [
    ("43.21A", 2.0, "Électricité"), ("43.22A", 2.0, "Plomberie"), ("43.32A", 1.0, "Menuiserie"),
    ("96.02A", 1.6, "Coiffure"), ("56.10A", 0.8, "Restauration"), ("71.11Z", 1.0, "Architecte"),
    ("86.21Z", 1.2, "Médecin généraliste"), ("86.90E", 0.8, "Kinésithérapeute"), ("62.01Z", 2.0, "Développement web"),
    ("74.10Z", 1.0, "Graphisme"), ("49.32Z", 0.8, "Taxi"), ("85.59B", 0.8, "Cours particuliers"),
    ("01.21Z", 0.5, "Viticulture"), ("47.89Z", 0.6, "Vente sur les marchés"), ("70.22Z", 1.4, "Conseil"),
    ("90.03A", 0.6, "Création artistique"), ("81.30Z", 0.8, "Paysagiste"), ("69.20Z", 0.4, "Expertise comptable"),
]

ASSOCIATION_NAF = [
    ("94.99Z", 5.0, ["Association {word} de {city}", "Les Amis de {city}", "Comité des fêtes de {city}", "{acr} {city}"]),
    ("93.12Z", 3.0, ["Club de tennis de {city}", "Union sportive de {city}", "{city} Football Club", "Club nautique de {city}"]),
    ("88.99B", 2.0, ["Association d'aide à domicile de {city}", "Solidarité {city}", "Restos du cœur de {city}"]),
    ("90.01Z", 1.0, ["Compagnie théâtrale {word}", "Orchestre d'harmonie de {city}"]),
    ("94.12Z", 0.5, ["Union des commerçants de {city}", "Fédération {acr}"]),
    ("85.59A", 0.5, ["{acr} Formation Insertion", "Association de formation de {city}"]),
]

# Public bodies: (legal form, NAF, weight, name patterns, headcount range, hours kind)
PUBLIC_BODIES = [
    ("7210", "84.11Z", 5.0, ["Mairie de {city}", "Commune de {city}", "Ville de {city}"], (3, 2500), "townhall"),
    ("7348", "84.11Z", 0.8, ["{city} Agglomération", "Communauté d'agglomération de {city}"], (50, 1500), "townhall"),
    ("7220", "84.11Z", 0.4, ["Conseil départemental - {dept}", "Département {dept}"], (800, 5000), "office"),
    ("7364", "86.10Z", 0.8, ["Centre hospitalier de {city}", "CHU de {city}"], (300, 9000), "h24"),
    ("7331", "85.31Z", 1.5, ["Lycée Victor Hugo", "Lycée Jean Moulin", "Collège Jules Ferry", "Lycée Marie Curie",
                             "Collège Louise Michel", "Lycée professionnel {city}"], (30, 180), "school"),
    ("7383", "85.42Z", 0.3, ["Université de {city}"], (800, 6000), "office"),
    ("7381", "94.11Z", 0.5, ["Chambre de commerce et d'industrie de {city}", "Chambre de métiers et de l'artisanat - {dept}"],
     (20, 400), "office"),
    ("7389", "84.12Z", 0.4, ["Agence régionale {word}", "Office public {word}"], (40, 900), "office"),
    ("4110", "49.10Z", 0.2, ["Régie des transports {word}", "Office national {word}"], (200, 4000), "office"),
]

PRIVATE_LEGAL_FORMS = [("5710", 40), ("5499", 28), ("5720", 10), ("5498", 8), ("5599", 7), ("5202", 1), ("5485", 4), ("5699", 2)]

HOLDING_NAME_PATTERNS = ["Holding {nom}", "{nom} Participations", "Financière {nom}", "{acr} Invest"]

BRAND_WORDS = ["Alto", "Nova", "Azur", "Hexa", "Opale", "Kerys", "Lumio", "Vertigo", "Ozone", "Calypso", "Armor",
               "Mistral", "Sirius", "Pixel", "Boréal", "Cèdre", "Zénith", "Atlas", "Ébène", "Horizon", "Iroise",
               "Kali", "Lyra", "Mérid", "Nautil", "Orion", "Pégase", "Quartz", "Rhéa", "Soléa", "Tramontane", "Vega"]

OPENING_HOURS = {
    "office": ["Mo-Fr 09:00-12:00,14:00-18:00", "Mo-Fr 08:30-17:30", "Mo-Fr 09:00-18:00", "Mo-Th 08:30-18:00; Fr 08:30-16:00",
               "Mo-Fr 09:00-18:00; PH off"],
    "shop": ["Mo-Sa 09:30-19:00", "Tu-Sa 09:00-12:00,14:00-19:00", "Mo-Sa 09:00-19:30", "Mo-Fr 09:00-19:00; Sa 09:00-18:00"],
    "supermarket": ["Mo-Sa 08:30-20:00; Su 09:00-12:30", "Mo-Sa 08:30-19:00"],
    "garage": ["Mo-Fr 08:00-12:00,14:00-18:00; Sa 08:00-12:00", "Mo-Fr 08:00-17:00; Sa 09:00-12:00"],
    "site": ["Mo-Fr 07:30-12:00,13:30-17:00", "Mo-Fr 08:00-17:00"],
    "bank": ["Tu-Fr 09:00-12:30,13:45-17:30; Sa 09:00-12:30"],
    "clinic": ["Mo-Fr 08:00-19:00; Sa 08:00-12:00", "Mo-Fr 09:00-12:00,14:00-19:00"],
    "h24": ["24/7"],
    "restaurant": ["Tu-Sa 12:00-14:00,19:00-22:30", "Mo-Sa 11:30-14:30,18:30-23:00", "We-Su 12:00-14:00,19:00-22:00"],
    "bar": ["Mo-Sa 07:00-20:00", "Tu-Su 10:00-01:00"],
    "bakery": ["Tu-Sa 07:00-19:30; Su 07:00-13:00", "Mo,Tu,Th-Sa 06:30-19:30; Su 07:00-12:30"],
    "factory": ["Mo-Fr 06:00-21:00", "Mo-Fr 08:00-12:00,13:00-17:00"],
    "salon": ["Tu-Sa 09:00-18:30", "Tu-Fr 09:00-19:00; Sa 08:30-17:00"],
    "gym": ["Mo-Fr 06:30-22:00; Sa,Su 09:00-19:00"],
    "townhall": ["Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00", "Mo-Fr 09:00-12:00,14:00-17:30"],
    "school": ["Mo-Fr 08:00-17:30"],
    "none": [""],
}

# ---------------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------------
# Job titles: (title as written, job_function, seniority, grammatical gender "F"/"M"/"" for neutral).
JOB_TITLES = [
    ("PDG", "executive", "c_level", ""), ("Président-directeur général", "executive", "c_level", "M"),
    ("Présidente-directrice générale", "executive", "c_level", "F"), ("Directeur Général", "executive", "c_level", "M"),
    ("Directrice Générale", "executive", "c_level", "F"), ("Gérant", "executive", "c_level", "M"),
    ("Gérante", "executive", "c_level", "F"), ("CEO", "executive", "c_level", ""), ("Fondateur", "executive", "c_level", "M"),
    ("Fondatrice", "executive", "c_level", "F"), ("Co-gérant", "executive", "c_level", "M"), ("DG", "executive", "c_level", ""),
    ("Managing Director", "executive", "c_level", ""),
    ("DAF", "finance", "c_level", ""), ("Directeur administratif et financier", "finance", "c_level", "M"),
    ("Directrice financière", "finance", "c_level", "F"), ("Directeur financier", "finance", "c_level", "M"),
    ("CFO", "finance", "c_level", ""), ("Chef comptable", "finance", "manager", ""),
    ("Responsable comptable", "finance", "manager", ""), ("Finance Manager", "finance", "manager", ""),
    ("Comptable", "finance", "staff", ""), ("Assistante comptable", "finance", "staff", "F"),
    ("DSI", "it", "c_level", ""), ("Directeur des systèmes d'information", "it", "c_level", "M"),
    ("CTO", "it", "c_level", ""), ("IT Director", "it", "director", ""), ("Responsable informatique", "it", "manager", ""),
    ("IT Manager", "it", "manager", ""), ("Chef de projet informatique", "it", "manager", ""),
    ("Développeur", "it", "staff", "M"), ("Développeuse", "it", "staff", "F"), ("Technicien informatique", "it", "staff", "M"),
    ("Directeur marketing", "marketing", "director", "M"), ("Directrice marketing", "marketing", "director", "F"),
    ("CMO", "marketing", "c_level", ""), ("Responsable marketing", "marketing", "manager", ""),
    ("Marketing Manager", "marketing", "manager", ""), ("Responsable communication", "marketing", "manager", ""),
    ("Chargée de communication", "marketing", "staff", "F"), ("Chargé de communication", "marketing", "staff", "M"),
    ("Chargée de marketing digital", "marketing", "staff", "F"), ("Chef de produit", "marketing", "manager", ""),
    ("Directeur commercial", "sales", "director", "M"), ("Directrice commerciale", "sales", "director", "F"),
    ("Head of Sales", "sales", "director", ""), ("Responsable des ventes", "sales", "manager", ""),
    ("Sales Manager", "sales", "manager", ""), ("Commercial", "sales", "staff", "M"), ("Commerciale", "sales", "staff", "F"),
    ("Attaché commercial", "sales", "staff", "M"), ("Attachée commerciale", "sales", "staff", "F"),
    ("Ingénieur commercial", "sales", "staff", "M"), ("Chargé d'affaires", "sales", "staff", "M"),
    ("Business Developer", "sales", "staff", ""), ("Account Manager", "sales", "staff", ""),
    ("DRH", "hr", "c_level", ""), ("Directrice des ressources humaines", "hr", "c_level", "F"),
    ("Responsable RH", "hr", "manager", ""), ("HR Manager", "hr", "manager", ""),
    ("Chargée de recrutement", "hr", "staff", "F"), ("Assistante RH", "hr", "staff", "F"),
    ("Directeur des opérations", "operations", "director", "M"), ("COO", "operations", "c_level", ""),
    ("Responsable logistique", "operations", "manager", ""), ("Responsable de production", "operations", "manager", ""),
    ("Directeur d'usine", "operations", "director", "M"), ("Responsable qualité", "operations", "manager", ""),
    ("Office Manager", "operations", "staff", ""), ("Chef de chantier", "operations", "manager", ""),
    ("Conducteur de travaux", "operations", "staff", "M"),
    ("Acheteur", "purchasing", "staff", "M"), ("Acheteuse", "purchasing", "staff", "F"),
    ("Responsable achats", "purchasing", "manager", ""), ("Directeur des achats", "purchasing", "director", "M"),
    ("Purchasing Manager", "purchasing", "manager", ""),
    ("Juriste", "legal", "staff", ""), ("Directrice juridique", "legal", "director", "F"),
    ("Responsable juridique", "legal", "manager", ""), ("Legal Counsel", "legal", "staff", ""),
    ("Assistante de direction", "other", "staff", "F"), ("Assistant de direction", "other", "staff", "M"),
    ("Secrétaire", "other", "staff", ""), ("Directeur général des services", "executive", "c_level", "M"),
    ("Directrice générale des services", "executive", "c_level", "F"),
    ("Président", "executive", "c_level", "M"), ("Présidente", "executive", "c_level", "F"),
]
# The head of an organisation, by family; then the titles other contacts may hold, by family ("company": all
# titles that are neither a head's nor specific to public bodies).
HEAD_TITLES = {
    "company": ["PDG", "Directeur Général", "Directrice Générale", "Gérant", "Gérante", "CEO", "Fondateur", "Fondatrice",
                "DG", "Managing Director", "Président", "Présidente"],
    "sole_trader": ["Gérant", "Gérante", "Fondateur", "Fondatrice"],
    "nonprofit": ["Président", "Présidente", "Directeur Général", "Directrice Générale"],
    "public_body": ["Directeur général des services", "Directrice générale des services"],
}
OTHER_TITLES = {
    "public_body": ["Secrétaire", "DRH", "Responsable informatique", "Comptable", "Chargée de communication",
                    "Chargé de communication", "Juriste", "Responsable achats", "Assistante de direction", "DSI",
                    "Responsable communication", "Acheteur", "Acheteuse"],
    "nonprofit": ["Secrétaire", "Comptable", "Chargée de communication", "Chargé de communication",
                  "Assistante de direction", "Responsable communication", "Chargée de recrutement"],
    "sole_trader": ["Secrétaire", "Comptable", "Assistante de direction", "Assistant de direction"],
}

# Occupations (free text) by occupation_group, with the ages they fit.
OCCUPATIONS = {
    "farmer": ["agriculteur", "agricultrice", "exploitant agricole", "viticulteur", "éleveur"],
    "craftsman_merchant_entrepreneur": ["artisan", "artisane", "commerçant", "commerçante", "chef d'entreprise",
                                        "artisan boulanger", "auto-entrepreneur"],
    "executive_professional": ["ingénieur", "ingénieure", "cadre", "cadre commercial", "médecin", "avocate",
                               "pharmacien", "architecte", "enseignante", "enseignant", "journaliste", "ingénieur informatique"],
    "intermediate_profession": ["infirmier", "infirmière", "technicien", "technicienne", "professeur des écoles",
                                "kinésithérapeute", "agent de maîtrise", "assistante sociale", "comptable"],
    "employee": ["employé de bureau", "employée de bureau", "secrétaire", "vendeuse", "vendeur", "caissière",
                 "aide-soignante", "agent d'accueil", "serveur", "policier", "assistante maternelle"],
    "manual_worker": ["ouvrier", "ouvrière", "chauffeur routier", "magasinier", "cariste", "agent de production",
                      "ouvrier du bâtiment"],
    "retired": ["retraité", "retraitée", "à la retraite", "retraité de l'enseignement"],
    "student": ["étudiant", "étudiante", "étudiante en droit", "étudiant en alternance"],
    "unemployed_inactive": ["sans emploi", "demandeur d'emploi", "au foyer", "mère au foyer", "en recherche d'emploi"],
}

# Education as written: canonical level -> variants (free text, then ISCED digits).
EDUCATION = {
    "no_diploma": ["sans diplôme", "Brevet", "brevet des collèges", "aucun diplôme"],
    "secondary": ["Bac", "Baccalauréat", "CAP", "BEP", "Bac pro"],
    "short_higher": ["BTS", "DUT", "Bac+2"],
    "bachelor": ["Licence", "Bac+3", "Licence pro"],
    "master": ["Master", "Bac+5", "Diplôme d'ingénieur", "Master 2"],
    "doctorate": ["Doctorat", "PhD"],
}
ISCED_DIGITS = {"no_diploma": ["1", "2"], "secondary": ["3", "4"], "short_higher": ["5"], "bachelor": ["6"],
                "master": ["7"], "doctorate": ["8"]}

INTERESTS = ["randonnée", "voile", "cuisine", "jardinage", "lecture", "cinéma", "voyages", "ski", "vélo", "running",
             "photographie", "musique", "bricolage", "surf", "yoga", "pêche", "œnologie", "jeux vidéo", "équitation",
             "golf", "tennis", "football", "théâtre", "mode", "high-tech", "décoration"]
COASTAL_INTERESTS = ["voile", "surf", "pêche"]
MOUNTAIN_INTERESTS = ["ski", "randonnée", "vélo"]

FREE_WEBMAIL = ["gmail.com", "orange.fr", "free.fr", "hotmail.fr", "laposte.net", "wanadoo.fr", "yahoo.fr", "sfr.fr"]
WEBMAIL_WEIGHTS = [34, 18, 12, 12, 6, 6, 7, 5]
GENERIC_PREFIXES = ["contact", "info", "accueil", "compta", "rh", "commercial", "sav", "noreply", "direction",
                    "facturation", "secretariat", "bonjour", "hello", "support"]

LEAD_SOURCES_B2C = ["formulaire web", "magasin", "parrainage", "réseaux sociaux", "Google Ads", "jeu concours", "newsletter"]
LEAD_SOURCES_B2B = ["salon professionnel", "LinkedIn", "formulaire web", "recommandation", "prospection téléphonique",
                    "import fichier", "webinar"]
HUBSPOT_OWNERS = ["Claire Moreau", "Julien Faure", "Sophie Lambert", "Nicolas Roux", "Camille Girard", ""]

# ---------------------------------------------------------------------------------------------------------------
# Catalogue: (category, product_type, [(name, technology_level, list price in €)]). Latin-1 safe names.
# ---------------------------------------------------------------------------------------------------------------
CATALOGUE = [
    ("Ordinateurs", "product", [("Ordinateur portable Essentiel 15\"", "basic", 449.0), ("Ordinateur portable Confort 14\"", "standard", 799.0),
                                ("Ultraportable Élite 13\"", "advanced", 1499.0), ("PC de bureau Bureautique", "basic", 529.0),
                                ("Station de travail Pro", "advanced", 2190.0), ("Mini PC compact", "standard", 389.0),
                                ("Chromebook Éducation", "basic", 299.0), ("Tablette 11\" 128 Go", "standard", 549.0)]),
    ("Écrans et périphériques", "product", [("Écran 24\" Full HD", "basic", 149.0), ("Écran 27\" QHD", "standard", 299.0),
                                            ("Écran 34\" incurvé", "advanced", 649.0), ("Clavier sans fil AZERTY", "basic", 39.9),
                                            ("Souris ergonomique", "basic", 49.9), ("Station d'accueil USB-C", "standard", 189.0),
                                            ("Webcam 4K", "advanced", 159.0), ("Casque à réduction de bruit", "standard", 229.0)]),
    ("Téléphonie", "product", [("Smartphone Essentiel 64 Go", "basic", 199.0), ("Smartphone Confort 128 Go", "standard", 499.0),
                               ("Smartphone Élite 256 Go", "advanced", 1099.0), ("Téléphone fixe IP", "standard", 129.0),
                               ("Standard téléphonique IP PME", "advanced", 1890.0), ("Coque de protection", "basic", 19.9)]),
    ("Impression", "product", [("Imprimante jet d'encre", "basic", 89.0), ("Imprimante laser couleur Pro", "standard", 399.0),
                               ("Copieur multifonction A3", "advanced", 3490.0), ("Cartouche d'encre noire", "basic", 24.9),
                               ("Toner laser haute capacité", "basic", 89.9), ("Ramette papier A4 x5", "basic", 27.5)]),
    ("Réseau et sécurité", "product", [("Routeur Wi-Fi 6", "standard", 179.0), ("Pare-feu PME", "advanced", 1290.0),
                                       ("Switch 24 ports", "standard", 349.0), ("Borne Wi-Fi professionnelle", "advanced", 459.0),
                                       ("Onduleur 1500 VA", "standard", 289.0), ("Câble réseau 5 m", "basic", 9.9)]),
    ("Audio et vidéo", "product", [("Téléviseur 55\" 4K", "standard", 699.0), ("Barre de son", "standard", 299.0),
                                   ("Enceinte Bluetooth", "basic", 79.0), ("Vidéoprojecteur de salle de réunion", "advanced", 1190.0),
                                   ("Système de visioconférence", "advanced", 2490.0), ("Câble HDMI 2 m", "basic", 14.9)]),
    ("Maison connectée", "product", [("Thermostat connecté", "standard", 199.0), ("Caméra de sécurité extérieure", "standard", 149.0),
                                     ("Alarme connectée", "advanced", 449.0), ("Ampoule connectée x3", "basic", 49.9),
                                     ("Serrure connectée", "advanced", 279.0), ("Prise connectée", "basic", 24.9)]),
    ("Accessoires", "product", [("Clé USB 64 Go", "basic", 14.9), ("Disque dur externe 2 To", "standard", 89.0),
                                ("SSD externe 1 To", "standard", 129.0), ("Sacoche ordinateur 15\"", "basic", 39.0),
                                ("Chargeur universel USB-C 100 W", "standard", 59.0), ("Batterie externe 20 000 mAh", "basic", 39.9)]),
    ("Mobilier de bureau", "product", [("Fauteuil de bureau ergonomique", "standard", 349.0), ("Bureau assis-debout électrique", "advanced", 599.0),
                                       ("Caisson mobile 3 tiroirs", "basic", 129.0), ("Lampe de bureau LED", "basic", 45.0)]),
    ("Logiciels", "subscription", [("Licence suite bureautique 1 an", "standard", 99.0), ("Antivirus 1 an", "basic", 39.9),
                                   ("Antivirus entreprise 1 an", "standard", 59.0), ("Logiciel de comptabilité PME 1 an", "standard", 490.0),
                                   ("Logiciel de gestion commerciale 1 an", "advanced", 890.0), ("CRM en ligne 1 an", "advanced", 720.0),
                                   ("Logiciel de paie 1 an", "advanced", 650.0), ("Gestionnaire de mots de passe 1 an", "basic", 36.0)]),
    ("Cloud et abonnements", "subscription", [("Stockage cloud 1 To 1 an", "basic", 99.0), ("Sauvegarde cloud serveur 1 an", "advanced", 590.0),
                                              ("Messagerie professionnelle 1 an", "standard", 72.0), ("Hébergement de site web 1 an", "standard", 120.0),
                                              ("Forfait mobile pro 12 mois", "standard", 240.0), ("Télésurveillance 12 mois", "advanced", 360.0),
                                              ("Visioconférence pro 1 an", "standard", 180.0)]),
    ("Services", "service", [("Installation à domicile", "basic", 79.0), ("Installation poste de travail", "standard", 120.0),
                             ("Configuration réseau sur site", "advanced", 450.0), ("Récupération de données", "advanced", 390.0),
                             ("Dépannage informatique (1 h)", "basic", 65.0), ("Extension de garantie 2 ans", "basic", 89.0),
                             ("Contrat de maintenance annuel", "standard", 890.0), ("Audit de sécurité", "advanced", 1900.0),
                             ("Migration vers le cloud", "advanced", 2400.0), ("Déménagement informatique", "standard", 950.0)]),
    ("Formation", "service", [("Formation Excel débutant", "basic", 290.0), ("Formation Excel avancé", "standard", 390.0),
                              ("Formation cybersécurité des salariés", "standard", 490.0), ("Formation prise en main ordinateur", "basic", 90.0),
                              ("Formation CRM", "advanced", 690.0), ("Atelier smartphone seniors", "basic", 45.0)]),
]
PRODUCT_TIERS = ["", " - édition 2024", " - reconditionné", " Plus", " - pack 3"]

TICKET_CHANNELS = ["email", "téléphone", "chat", "magasin", "formulaire web"]
TICKET_CATEGORIES = ["Livraison", "Facturation", "Panne / SAV", "Retour produit", "Installation", "Compte client",
                     "Question produit"]
TICKET_PRIORITIES = ["basse", "normale", "haute", "urgente"]
