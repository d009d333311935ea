//! `labelled!`: an enum whose variants carry their Chinese and English labels, serialised in
//! snake case — the shape of every closed vocabulary in the rules' answer.

macro_rules! labelled {
    ($(#[$m:meta])* $name:ident { $( $(#[$vm:meta])* $v:ident = ($zh:literal, $en:literal), )* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( $(#[$vm])* $v, )* }
        impl $name {
            /// Chinese label.
            pub fn zh(self) -> &'static str { match self { $( $name::$v => $zh, )* } }
            /// English label.
            pub fn en(self) -> &'static str { match self { $( $name::$v => $en, )* } }
        }
    };
}

pub(crate) use labelled;
