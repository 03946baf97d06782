namespace LeadScore.Prediction;
