//! A list is decided once, from where it stands and what its items are: the
//! headings above it, the sentence that announces it, and the shape of its
//! items. The same list reads as goals in one place and as measures (or
//! nothing) in another.

use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::process_bytes;
use plansjekk::record::Record;

fn read(text: &str) -> Record {
    process_bytes(
        "plan.md",
        "plan-md",
        text.as_bytes(),
        &IngestOptions::default(),
    )
    .expect("fixture processes")
}

fn goals(r: &Record) -> Vec<&str> {
    r.goals.iter().map(|g| g.title.as_str()).collect()
}

fn measures(r: &Record) -> Vec<&str> {
    r.measures.iter().map(|m| m.title.as_str()).collect()
}

const OUTCOMES: &str = "- Færre fallulykker blant eldre\n\
- Redusert ventetid på sykehjemsplass\n\
- Flere eldre bor hjemme lenger\n\
- Bedre samarbeid mellom fastlege og hjemmetjeneste\n";

fn plan(heading: &str, intro: &str, list: &str) -> String {
    format!(
        "# Helse- og omsorgsplan for Eksempel kommune 2025–2028\n\n\
         ## Innledning\n\nPlanen gjelder for perioden 2025–2028.\n\n\
         ## {heading}\n\n{intro}\n\n{list}\n\
         ## Oppfølging\n\nPlanen rulleres hvert år.\n"
    )
}

#[test]
fn outcomes_announced_under_a_goal_heading_are_goals() {
    let intro = "Kommunen vil legge vekt på forhold som betyr mye for innbyggerne, og følge med på at disse resultatene oppnås:";
    let r = read(&plan("Mål og ønskede effekter", intro, OUTCOMES));
    assert_eq!(
        goals(&r),
        [
            "Færre fallulykker blant eldre",
            "Redusert ventetid på sykehjemsplass",
            "Flere eldre bor hjemme lenger",
            "Bedre samarbeid mellom fastlege og hjemmetjeneste"
        ]
    );
    assert!(measures(&r).is_empty(), "{:?}", measures(&r));
}

#[test]
fn the_same_outcomes_under_another_heading_are_not_goals() {
    let intro = "Kommunen vil legge vekt på forhold som betyr mye for innbyggerne, og følge med på at disse resultatene oppnås:";
    let r = read(&plan("Arbeidet i perioden", intro, OUTCOMES));
    assert!(goals(&r).is_empty(), "{:?}", goals(&r));
}

#[test]
fn actions_an_intent_announces_under_a_goal_heading_stay_measures() {
    let list = "- etablere et frisklivstilbud i alle bydeler\n\
                - styrke hjemmetjenesten med to nye team\n\
                - utrede et felles legevaktsamarbeid\n";
    let r = read(&plan(
        "Mål for perioden",
        "For å nå målene vil kommunen:",
        list,
    ));
    assert!(goals(&r).is_empty(), "{:?}", goals(&r));
    assert_eq!(measures(&r).len(), 3, "{:?}", measures(&r));
}

/// Goals named in an earlier sentence announce the list only where the
/// section is about goals; elsewhere the sentence refers back to goals stated
/// before, and the closing intent decides.
#[test]
fn goals_named_before_a_closing_intent_count_only_in_a_goal_section() {
    let intro = "De overordnede målene viser hva vi vil oppnå. Det foreslås at kommunen skal:";
    let list = "- bistå innbyggerne med å mestre egen helse\n\
                - sikre likeverdige tjenester i hele kommunen\n\
                - gjennomgå tildelingen av tjenester\n";
    let r = read(&plan("Visjon og overordnede mål", intro, list));
    assert_eq!(goals(&r).len(), 3, "{:?}", goals(&r));
    assert!(measures(&r).is_empty());

    let intro = "Kommunen vil ta de overordnede målene med seg i arbeidet med regelverket. I denne planen varsles det særskilt at kommunen vil:";
    let r = read(&plan("Forenkle regelverket", intro, list));
    assert!(goals(&r).is_empty(), "{:?}", goals(&r));
    assert_eq!(measures(&r).len(), 3, "{:?}", measures(&r));
}
