//! The model's parameters: one table that gives each its name, symbol, default and valid
//! range. Reading, validation, the manifest and the documentation all work from it.

use serde::Serialize;

pub struct ParameterSpec {
    pub name: &'static str,
    pub symbol: &'static str,
    pub default: f64,
    pub min: f64,
    pub max: f64,
    /// Whether `min` itself is excluded (a concession curve of 0 has no meaning).
    pub min_exclusive: bool,
    pub meaning: &'static str,
}

pub const PARAMETERS: [ParameterSpec; 9] = [
    ParameterSpec {
        name: "caucus_rate",
        symbol: "gamma",
        default: 0.3,
        min: 0.0,
        max: 1.0,
        min_exclusive: false,
        meaning: "how far members move toward their blocs' positions in a caucus",
    },
    ParameterSpec {
        name: "concession_rate",
        symbol: "mu",
        default: 0.2,
        min: 0.0,
        max: 1.0,
        min_exclusive: false,
        meaning: "how far participants move toward the draft after a round without agreement",
    },
    ParameterSpec {
        name: "accommodation",
        symbol: "lambda",
        default: 0.5,
        min: 0.0,
        max: 10.0,
        min_exclusive: false,
        meaning: "extra weight the chair gives an actor for each earlier round it objected",
    },
    ParameterSpec {
        name: "tolerance",
        symbol: "tau",
        default: 0.15,
        min: 0.0,
        max: 1.0,
        min_exclusive: false,
        meaning: "the loss against the status quo a fully flexible actor accepts in the last round",
    },
    ParameterSpec {
        name: "concession_curve",
        symbol: "beta",
        default: 1.0,
        min: 0.0,
        max: 100.0,
        min_exclusive: true,
        meaning: "shape of tolerance over time: below 1 concedes late (Boulware), above 1 early (Conceder)",
    },
    ParameterSpec {
        name: "evaluation_noise",
        symbol: "sigma_eval",
        default: 0.02,
        min: 0.0,
        max: 1.0,
        min_exclusive: false,
        meaning: "standard deviation of the noise on each actor's evaluation of a draft",
    },
    ParameterSpec {
        name: "position_noise",
        symbol: "sigma_pos",
        default: 0.01,
        min: 0.0,
        max: 1.0,
        min_exclusive: false,
        meaning: "standard deviation of the drift in positions each round, as a share of the scale",
    },
    ParameterSpec {
        name: "stakeholder_weight",
        symbol: "omega",
        default: 0.0,
        min: 0.0,
        max: 10.0,
        min_exclusive: false,
        meaning: "weight of voice-only participants in the draft relative to voting members",
    },
    ParameterSpec {
        name: "abstain_band",
        symbol: "-",
        default: 0.02,
        min: 0.0,
        max: 1.0,
        min_exclusive: false,
        meaning: "under voting rules, an actor whose gain is within this band of zero abstains",
    },
];

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parameters {
    pub caucus_rate: f64,
    pub concession_rate: f64,
    pub accommodation: f64,
    pub tolerance: f64,
    pub concession_curve: f64,
    pub evaluation_noise: f64,
    pub position_noise: f64,
    pub stakeholder_weight: f64,
    pub abstain_band: f64,
}

impl Default for Parameters {
    fn default() -> Self {
        let mut parameters = Parameters {
            caucus_rate: 0.0,
            concession_rate: 0.0,
            accommodation: 0.0,
            tolerance: 0.0,
            concession_curve: 0.0,
            evaluation_noise: 0.0,
            position_noise: 0.0,
            stakeholder_weight: 0.0,
            abstain_band: 0.0,
        };
        for spec in &PARAMETERS {
            *parameters.get_mut(spec.name).expect("every spec names a field") = spec.default;
        }
        parameters
    }
}

impl Parameters {
    pub fn get_mut(&mut self, name: &str) -> Option<&mut f64> {
        Some(match name {
            "caucus_rate" => &mut self.caucus_rate,
            "concession_rate" => &mut self.concession_rate,
            "accommodation" => &mut self.accommodation,
            "tolerance" => &mut self.tolerance,
            "concession_curve" => &mut self.concession_curve,
            "evaluation_noise" => &mut self.evaluation_noise,
            "position_noise" => &mut self.position_noise,
            "stakeholder_weight" => &mut self.stakeholder_weight,
            "abstain_band" => &mut self.abstain_band,
            _ => return None,
        })
    }
}

impl ParameterSpec {
    pub fn admits(&self, value: f64) -> bool {
        let above_min = if self.min_exclusive { value > self.min } else { value >= self.min };
        above_min && value <= self.max
    }

    pub fn range_text(&self) -> String {
        let open = if self.min_exclusive { "(" } else { "[" };
        format!("{open}{}, {}]", self.min, self.max)
    }
}
