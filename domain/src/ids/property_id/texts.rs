//! The words of `property_id` in Finnish, Swedish and English, each a [`Text`] (a missing
//! translation does not compile). A user-interface text lives only in a table like this
//! one; the workspace test `texts_live_only_in_the_tables` fails on one anywhere else.

use crate::lang::Text;

pub const PUBLIC_AREA_STREET: Text = Text::new("katualue", "gatuområde", "street area");
pub const PUBLIC_AREA_MARKET_SQUARE: Text = Text::new("torialue", "torgområde", "market square");
pub const PUBLIC_AREA_PARK: Text = Text::new("puistoalue", "parkområde", "park");
pub const PUBLIC_AREA_SPORTS_AREA: Text = Text::new("urheilualue", "idrottsområde", "sports area");
pub const PUBLIC_AREA_HOLIDAY_AREA: Text = Text::new(
    "loma- ja matkailualue",
    "fritids- och turistområde",
    "holiday and tourism area",
);
pub const PUBLIC_AREA_TRAFFIC_AREA: Text =
    Text::new("liikennealue", "trafikområde", "traffic area");
pub const PUBLIC_AREA_DANGER_AREA: Text = Text::new("vaara-alue", "riskområde", "danger area");
pub const PUBLIC_AREA_SPECIAL_AREA: Text = Text::new(
    "erityis- tai suojelualue",
    "special- eller skyddsområde",
    "special or protected area",
);
pub const PUBLIC_AREA_WATER_AREA: Text = Text::new("vesialue", "vattenområde", "water area");
